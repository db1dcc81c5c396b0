//! What a technology's capacity is counted in: a 300 mm wafer, a rectangular panel
//! of a given size, or no carrier at all. A leaf value, defined once: the bundle
//! schema's allowed words and panel limits come from here, the geometry counts
//! packages on it, and the CLI's and the charts' panel presets are [`Carrier::PRESETS`].

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A panel size the industry uses, named as the CLI accepts it (`--carrier 510x515`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PanelPreset {
    pub name: &'static str,
    pub width_mm: f64,
    pub height_mm: f64,
    /// What the size is used for, in words.
    pub role: &'static str,
    /// A size of TSMC's CoPoS line (the wafer-against-panel chart shows these).
    pub copos: bool,
}

/// What a technology's capacity is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// A 300 mm round wafer.
    Wafer300,
    /// A rectangular panel.
    Panel { width_mm: f64, height_mm: f64 },
    /// Not a carrier (stacks, substrates, an index).
    None,
}

impl Carrier {
    pub const WAFER_DIAMETER_MM: f64 = 300.0;

    /// The panel presets of the CLI and UI.
    pub const PRESETS: [PanelPreset; 3] = [
        PanelPreset { name: "310x310", width_mm: 310.0, height_mm: 310.0, role: "CoPoS pilot", copos: true },
        PanelPreset { name: "510x515", width_mm: 510.0, height_mm: 515.0, role: "CoPoS volume", copos: true },
        PanelPreset { name: "600x600", width_mm: 600.0, height_mm: 600.0, role: "large-panel FOPLP", copos: false },
    ];

    /// Parses `wafer300`, `panel:510x515` or a preset name like `310x310`.
    ///
    /// ```
    /// use packplan_core::carrier::Carrier;
    /// assert_eq!("wafer300".parse::<Carrier>().unwrap(), Carrier::Wafer300);
    /// assert_eq!("panel:510x515".parse::<Carrier>().unwrap(), Carrier::Panel { width_mm: 510.0, height_mm: 515.0 });
    /// assert!("panel:10".parse::<Carrier>().is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Carrier> {
        let t = text.trim().to_ascii_lowercase();
        if t == "wafer300" || t == "wafer" {
            return Ok(Carrier::Wafer300);
        }
        let dims = t.strip_prefix("panel:").unwrap_or(&t);
        let (w, h) = parse_size(dims).map_err(|_| {
            Error::invalid(format!(
                "{text:?} is not a carrier; use wafer300 or panel:WxH in mm (for example panel:510x515)"
            ))
        })?;
        Ok(Carrier::Panel { width_mm: w, height_mm: h })
    }

    /// The largest panel side accepted, in mm (the bundle schema's limit for panel sizes).
    pub const MAX_PANEL_MM: f64 = 1000.0;

    /// The words the bundle schema accepts for a technology's carrier (a panel's size
    /// is given in its own columns).
    pub const KIND_NAMES: [&'static str; 3] = ["wafer300", "panel", "none"];

    /// The carrier of a `technologies` row: its `carrier` word and, for a panel, its size.
    pub fn from_column(kind: &str, panel_mm: impl FnOnce() -> Result<(f64, f64)>) -> Result<Carrier> {
        match kind.trim() {
            "wafer300" => Ok(Carrier::Wafer300),
            "panel" => {
                let (width_mm, height_mm) = panel_mm()?;
                let panel = Carrier::Panel { width_mm, height_mm };
                panel.validate("the panel")?;
                Ok(panel)
            }
            "none" => Ok(Carrier::None),
            other => Err(Error::invalid(format!(
                "{other:?} is not a carrier; use one of {}",
                Carrier::KIND_NAMES.join(", ")
            ))),
        }
    }

    pub fn validate(&self, what: &str) -> Result<()> {
        if let Carrier::Panel { width_mm, height_mm } = self {
            let side = |v: f64| v.is_finite() && v > 0.0 && v <= Carrier::MAX_PANEL_MM;
            if !(side(*width_mm) && side(*height_mm)) {
                return Err(Error::invalid(format!(
                    "{what}: a panel needs a width and height in mm above 0 and at most {}",
                    Carrier::MAX_PANEL_MM
                )));
            }
        }
        Ok(())
    }

    /// Raw area in mm².
    pub fn area_mm2(&self) -> f64 {
        match self {
            Carrier::Wafer300 => std::f64::consts::PI * (Self::WAFER_DIAMETER_MM / 2.0).powi(2),
            Carrier::Panel { width_mm, height_mm } => width_mm * height_mm,
            Carrier::None => 0.0,
        }
    }

    pub fn label(&self) -> String {
        match self {
            Carrier::Wafer300 => "300 mm wafer".into(),
            Carrier::Panel { width_mm, height_mm } => format!("{width_mm} x {height_mm} mm panel"),
            Carrier::None => "none".into(),
        }
    }
}

impl std::str::FromStr for Carrier {
    type Err = Error;
    fn from_str(s: &str) -> Result<Carrier> {
        Carrier::parse(s)
    }
}

/// Parses `WxH` in mm.
pub fn parse_size(text: &str) -> Result<(f64, f64)> {
    let bad = || Error::invalid(format!("{text:?} is not a size; use WxH in mm, for example 66x72"));
    let (w, h) = text.trim().split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (f64, f64) = (w.trim().parse().map_err(|_| bad())?, h.trim().parse().map_err(|_| bad())?);
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        return Err(bad());
    }
    Ok((w, h))
}
