//! The product mix a vendor ships in a month: its roadmap, as a transition from one
//! generation to the next over quarters rather than a switch (docs/model.md,
//! section 4, "Mix within a vendor"). The network rations a vendor's supply among
//! its products in these proportions, so no product with an open shipping window
//! falls to zero while its resources exist, whatever its price per wafer.

use super::input::{ModelInput, Product};
use crate::month::Month;

/// Months over which a new product rises from nothing to its full weight: four
/// quarters (Epoch AI: Blackwell went from 17 % to 98 % of NVIDIA's units from
/// 4Q24 to 4Q25).
pub const RAMP_MONTHS: i32 = 12;

/// The weight an older product keeps while its shipping window is open, before the
/// weights are normalised (Epoch AI: Hopper was about 2 % of NVIDIA's units in 4Q25).
pub const TAIL: f64 = 0.02;

/// How far a product has risen in `month`: `(month − available_from + 1) / 12`,
/// capped at 1; 1 when it has no start.
fn rise(p: &Product, month: Month) -> f64 {
    match p.available_from {
        Some(from) => (f64::from(from.months_until(month) + 1) / f64::from(RAMP_MONTHS)).clamp(0.0, 1.0),
        None => 1.0,
    }
}

/// Newest first: the later start (no start = oldest), then the later end (no end =
/// newest), then the id.
fn newest_first(a: &Product, b: &Product) -> std::cmp::Ordering {
    let end = |p: &Product| p.available_to.map_or(i32::MAX, Month::number);
    let start = |p: &Product| p.available_from.map_or(i32::MIN, Month::number);
    start(b).cmp(&start(a)).then_with(|| end(b).cmp(&end(a))).then_with(|| a.id.cmp(&b.id))
}

/// The share of `vendor`'s units each of its products shipping in `month` takes:
/// `(product index in the input, weight)`, weights summing to 1; empty when none ships.
///
/// Newest first, each product takes its rise of what the newer ones left
/// (`w = left · rise`, `left −= w`); every product in its window keeps at least
/// [`TAIL`]; then the weights are normalised.
pub fn weights(input: &ModelInput, vendor: &str, month: Month) -> Vec<(usize, f64)> {
    let mut shipping: Vec<(usize, &Product)> =
        input.products.iter().enumerate().filter(|(_, p)| p.vendor == vendor && p.ships_in(month)).collect();
    shipping.sort_by(|(_, a), (_, b)| newest_first(a, b));
    let mut left = 1.0;
    let mut out: Vec<(usize, f64)> = shipping
        .iter()
        .map(|(i, p)| {
            let w = left * rise(p, month);
            left -= w;
            (*i, w.max(TAIL))
        })
        .collect();
    let total: f64 = out.iter().map(|(_, w)| w).sum();
    for (_, w) in &mut out {
        *w /= total;
    }
    out
}

/// The vendors of the input's products, in first-seen order.
pub fn vendors(input: &ModelInput) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for p in &input.products {
        if !out.contains(&p.vendor.as_str()) {
            out.push(&p.vendor);
        }
    }
    out
}
