//! Customer-base models: BG/NBD (churn, expected purchases), Gamma-Gamma (spend) and CLV.
