"""Close and secondary contacts (密接、次密接): generated, deduplicated, decided."""
