"""The JSON API of the auth package: one module per feature, each a flask-smorest blueprint."""
