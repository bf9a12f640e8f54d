//! A small neural-network engine: dense layers, activations, dropout, batch norm, losses, training.
