//! Lemma 1: the characterisation (L1-1) of allocations implementable with Bayesian IC, interim
//! IR and ex-post budget balance, through the transfer rule its proof constructs.

use crate::claim::{Claim, Verdict};
use crate::context::{Artefacts, Context};

/// Lemma 1's claim.
pub fn check(_ctx: &Context, _art: &mut Artefacts) -> Vec<Claim> {
    vec![Claim {
        id: "lemma1".to_string(),
        title: "Lemma 1".to_string(),
        statement: "An allocation rule with interim shares S_i can be implemented by a Bayesian \
                    IC, interim IR and ex-post budget-balanced mechanism iff inequality (L1-1) \
                    holds; the proof constructs the transfers (expected externalities, g_i, \
                    constants c_i, IR shifts d_i)."
            .to_string(),
        method: "Direct verification of the constructed transfers from payoffs.".to_string(),
        evidence: vec![
            "Theorem 1's cutoff, which rests on Lemma 1, is confirmed independently by linear \
             programming (see Theorem 1)."
                .to_string(),
        ],
        verdict: Verdict::NotChecked {
            why: "The transfer rule of the proof is not yet built and verified directly."
                .to_string(),
        },
    }]
}
