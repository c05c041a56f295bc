//! 8. Verdicts: each statement group → agree, conflict or single, with a one-line reason.
//!
//! Two members are compatible when some claim of one is compatible with some claim of
//! the other (a sentence may carry two dates). Quantities become intervals: exact `v` is
//! `v` within the claim type's tolerance, approximate `v` is `v ± tolerance` (at least
//! ±10%), at least / at most are half-lines, a vague plural (مئات) spans its floor to five
//! times it. Dates compare by the days they cover, or by the fields both know when a
//! publication date is missing. A group agrees when every pair of members is compatible.

use crate::dates;
use crate::extract::format_number;
use crate::model::{Claim, Document, Group, Qualifier, Sentence, Value, Verdict};

/// The verdict on one group and why.
pub fn judge(
    group: &Group,
    claims: &[Claim],
    sentences: &[Sentence],
    docs: &[Document],
) -> (Verdict, String) {
    let outlet = |s: usize| docs[sentences[s].doc].outlet.as_str();
    let mut outlets: Vec<&str> = group.members.iter().map(|(s, _)| outlet(*s)).collect();
    outlets.sort_unstable();
    outlets.dedup();
    let shown = |cs: &[usize]| {
        cs.iter()
            .map(|&c| display(&claims[c].value))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if outlets.len() < 2 {
        let (s, cs) = &group.members[0];
        return (
            Verdict::Single,
            format!("only {} reports this ({})", outlet(*s), shown(cs)),
        );
    }
    let (ref_s, ref_c) = &group.members[0];
    for (i, (sa, ca)) in group.members.iter().enumerate() {
        for (sb, cb) in &group.members[i + 1..] {
            if !members_compatible(ca, cb, claims) {
                return (
                    Verdict::Conflict,
                    format!(
                        "{} gives {} but {} gives {}{}",
                        outlet(*sa),
                        shown(ca),
                        outlet(*sb),
                        shown(cb),
                        why_apart(ca, cb, claims)
                    ),
                );
            }
        }
    }
    let values: Vec<String> = group.members.iter().map(|(_, cs)| shown(cs)).collect();
    let all_same = values.iter().all(|v| *v == values[0]);
    let reason = if all_same {
        format!("{} outlets give {}", outlets.len(), values[0])
    } else {
        let others: Vec<String> = group.members[1..]
            .iter()
            .map(|(s, cs)| format!("{} ({})", shown(cs), outlet(*s)))
            .collect();
        format!(
            "{} ({}) is compatible with {}{}",
            shown(ref_c),
            outlet(*ref_s),
            others.join(", "),
            tolerance_note(ref_c, &group.members, claims)
        )
    };
    (Verdict::Agree, reason)
}

fn members_compatible(a: &[usize], b: &[usize], claims: &[Claim]) -> bool {
    a.iter().any(|&x| {
        b.iter()
            .any(|&y| compatible(&claims[x].value, &claims[y].value))
    })
}

/// Whether two claim values can both be true of the same thing.
pub fn compatible(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Date(x), Value::Date(y)) => dates::compatible(x, y),
        (
            Value::Quantity {
                amount: va,
                qualifier: qa,
                unit: ua,
                tolerance: ta,
                ..
            },
            Value::Quantity {
                amount: vb,
                qualifier: qb,
                unit: ub,
                tolerance: tb,
                ..
            },
        ) => {
            if ua.is_some() && ub.is_some() && ua != ub {
                return false;
            }
            let t = ta.max(*tb);
            let (la, ha) = interval(*va, *qa, t);
            let (lb, hb) = interval(*vb, *qb, t);
            if *qa == Qualifier::Exact && *qb == Qualifier::Exact {
                return (va - vb).abs() <= t * va.abs().max(vb.abs()) + 1e-9;
            }
            la <= hb + 1e-9 && lb <= ha + 1e-9
        }
        (Value::Name { entity: x, .. }, Value::Name { entity: y, .. }) => x == y,
        _ => false,
    }
}

/// The range of true values a quantity claim allows.
fn interval(v: f64, q: Qualifier, tolerance: f64) -> (f64, f64) {
    match q {
        Qualifier::Exact => (v * (1.0 - tolerance), v * (1.0 + tolerance)),
        Qualifier::Approx => {
            let t = tolerance.max(0.1);
            (v * (1.0 - t), v * (1.0 + t))
        }
        Qualifier::AtLeast => (v, f64::INFINITY),
        Qualifier::AtMost => (f64::NEG_INFINITY, v),
        Qualifier::Vague => (v, v * 5.0),
    }
}

fn why_apart(a: &[usize], b: &[usize], claims: &[Claim]) -> String {
    match (&claims[a[0]].value, &claims[b[0]].value) {
        (
            Value::Quantity {
                unit: ua,
                tolerance,
                qualifier: qa,
                ..
            },
            Value::Quantity {
                unit: ub,
                qualifier: qb,
                ..
            },
        ) => {
            if ua.is_some() && ub.is_some() && ua != ub {
                " (different units)".into()
            } else {
                // The tolerance `compatible` applied: the type's own for two exact figures,
                // at least ±10% once either is approximate.
                let t = if *qa == Qualifier::Exact && *qb == Qualifier::Exact {
                    *tolerance
                } else {
                    tolerance.max(0.1)
                };
                format!(" (beyond ±{}%)", format_number((t * 100.0).round()))
            }
        }
        (Value::Date(_), Value::Date(_)) => " (the dates do not overlap)".into(),
        _ => String::new(),
    }
}

fn tolerance_note(a: &[usize], members: &[(usize, Vec<usize>)], claims: &[Claim]) -> String {
    let unplaced = |c: &usize| matches!(&claims[*c].value, Value::Date(d) if !d.resolved);
    match &claims[a[0]].value {
        // A date read without a publication date lacks its year (XXXX): it agrees only on
        // the parts it gives, which the reader should know.
        Value::Date(_) if members.iter().flat_map(|(_, cs)| cs).any(unplaced) => {
            " (the dates overlap where both are known; XXXX is a year left unknown: that article has no publication date)".into()
        }
        Value::Quantity { tolerance, .. } => {
            format!(
                " (within ±{}%)",
                format_number((tolerance.max(0.1) * 100.0).round())
            )
        }
        Value::Date(_) => " (the dates overlap)".into(),
        _ => String::new(),
    }
}

/// A value as a reader sees it: `~1000 soldier`, `≥100000000 USD`, `2024-03 (mid)`.
pub fn display(v: &Value) -> String {
    match v {
        Value::Quantity {
            amount,
            qualifier,
            unit,
            subject,
            ..
        } => {
            let mut s = format!("{}{}", qualifier.sign(), format_number(*amount));
            if let Some(u) = unit {
                if u == "%" {
                    s.push('%');
                } else {
                    s.push(' ');
                    s.push_str(u);
                }
            }
            if let Some(sub) = subject {
                s.push_str(&format!(" ({sub})"));
            }
            s
        }
        Value::Date(d) => {
            let mut s = d.iso.clone();
            if let Some(p) = d.part {
                s.push_str(match p {
                    dates::Part::Early => " (early)",
                    dates::Part::Mid => " (mid)",
                    dates::Part::Late => " (late)",
                });
            }
            s
        }
        Value::Name { entity, .. } => entity.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(amount: f64, qualifier: Qualifier) -> Value {
        Value::Quantity {
            amount,
            qualifier,
            unit: Some("soldier".into()),
            subject: None,
            tolerance: 0.05,
            ambiguous: false,
        }
    }

    #[test]
    fn approximate_values_overlap() {
        assert!(compatible(
            &q(1000.0, Qualifier::Approx),
            &q(1000.0, Qualifier::Approx)
        ));
        assert!(compatible(
            &q(1480.0, Qualifier::Exact),
            &q(1500.0, Qualifier::Approx)
        ));
        assert!(!compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1000.0, Qualifier::Approx)
        ));
        assert!(compatible(
            &q(8000.0, Qualifier::AtLeast),
            &q(9000.0, Qualifier::Exact)
        ));
        assert!(!compatible(
            &q(8000.0, Qualifier::AtMost),
            &q(9000.0, Qualifier::Exact)
        ));
    }

    #[test]
    fn exact_values_meet_within_tolerance_only() {
        assert!(compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1500.0, Qualifier::Exact)
        ));
        assert!(!compatible(
            &q(1500.0, Qualifier::Exact),
            &q(1700.0, Qualifier::Exact)
        ));
    }
}
