"""The JSON API of the trainees package: one module per feature, each a flask-smorest blueprint."""
