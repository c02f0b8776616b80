"""Biometrics: enrolment of finger images or templates, minutiae extraction and quality, the
reference ABIS (MCC 1:1 matching, LSH-indexed 1:N search, ten-print fusion) and synthetic
fingerprints for scale and accuracy tests."""
