"""The JSON API of the courses package: one module per feature, each a flask-smorest blueprint."""
