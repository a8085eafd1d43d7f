"""Citizens: sign-in by a one-time code to the phone, their own data, the personal QR."""
