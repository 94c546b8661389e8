//! Context establishment and maintenance (RFC 5533 §7–§10, Appendix B).
