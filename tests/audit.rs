//! `gdr audit` (placeholder)
