#!/usr/bin/python3
"""Writes the reference values the report's statistics are tested against: Statistics/*.json beside this file.

Run with Debian's interpreter (its SciPy and statsmodels are apt packages, not pip ones):
    apt-get install -y python3-scipy python3-statsmodels
    /usr/bin/python3 tests/Client.Tests/Fixtures/make_statistics_fixtures.py

The tests read the committed JSON files and never need Python. Every number comes from SciPy or statsmodels,
named in each file's "source" block; the only arithmetic done here is Cohen's d (NumPy), the effect size the
power calculation is asked about. The inputs are written out in full, so no random generator has to be
reproduced by the tests.
"""

import json
import math
import os
import platform

import numpy as np
import scipy
import scipy.stats as st
import statsmodels
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestIndPower
from statsmodels.stats.weightstats import ttest_ind as sm_ttest_ind

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Statistics")

ALPHA = 0.05
POWER = 0.8

GENERATED_BY = (
    f"tests/Client.Tests/Fixtures/make_statistics_fixtures.py with SciPy {scipy.__version__}, "
    f"statsmodels {statsmodels.__version__}, NumPy {np.__version__}, Python {platform.python_version()} "
    "(Debian 12 packages python3-scipy, python3-statsmodels)"
)


def cohen_d(a, b):
    """Difference of means over the pooled sample standard deviation (n - 1 divisors)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
    return float((a.mean() - b.mean()) / math.sqrt(pooled))


def seeds_for_power(d):
    n = float(TTestIndPower().solve_power(effect_size=abs(d), nobs1=None, alpha=ALPHA, power=POWER, ratio=1.0,
                                          alternative="two-sided"))
    achieved = TTestIndPower().power(effect_size=abs(d), nobs1=n, alpha=ALPHA, ratio=1.0, alternative="two-sided")
    # solve_power stops at a tolerance of about 1e-6 in power, so n is good to about 1e-5 relative.
    assert abs(achieved - POWER) < 1e-5, (d, n, achieved)
    return n


def welch(a, b):
    scipy_result = st.ttest_ind(a, b, equal_var=False)
    t, p, df = sm_ttest_ind(a, b, usevar="unequal")
    assert math.isclose(t, scipy_result.statistic, rel_tol=1e-12) and math.isclose(p, scipy_result.pvalue, rel_tol=1e-9)
    return {"t": float(scipy_result.statistic), "df": float(df), "p": float(scipy_result.pvalue)}


def paired(a, b):
    result = st.ttest_rel(a, b)
    return {"t": float(result.statistic), "df": len(a) - 1, "p": float(result.pvalue)}


def probability_of_improvement(a, b):
    # Mann-Whitney U of the first sample counts the pairs (a_i, b_j) with a_i > b_j, ties as 1/2.
    u = st.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic").statistic
    return float(u) / (len(a) * len(b))


def comparison(name, candidate, baseline, solve_power=True):
    d = cohen_d(candidate, baseline)
    case = {
        "name": name,
        "candidate": candidate,
        "baseline": baseline,
        "welch": welch(candidate, baseline),
        "probabilityOfImprovement": probability_of_improvement(candidate, baseline),
        "cohenD": d,
        "seedsForPower": seeds_for_power(d) if solve_power else None,
    }
    if len(candidate) == len(baseline):
        case["paired"] = paired(candidate, baseline)
    return case


# Final test accuracies (%) with the paper's spread of 0.2-0.5 points between seeds.
RELU_5 = [87.59, 87.12, 87.81, 87.40, 87.66]
SWISH_5 = [87.72, 87.35, 88.02, 87.31, 87.90]
COS_5 = [88.36, 87.94, 88.21, 87.70, 88.49]
COS_4 = [88.36, 87.94, 88.21, 87.70]
rng = np.random.default_rng(20210101)
RELU_30 = [round(float(x), 2) for x in rng.normal(87.6, 0.35, 30)]
COS_30 = [round(float(x), 2) for x in rng.normal(87.8, 0.45, 30)]


def comparisons():
    cases = [
        comparison("cos-vs-relu, n = 5", COS_5, RELU_5),
        comparison("swish-vs-relu, n = 5: a small gap", SWISH_5, RELU_5),
        comparison("relu-vs-cos, n = 5: a negative difference", RELU_5, COS_5),
        comparison("cos (n = 4) vs relu (n = 5): unequal groups", COS_4, RELU_5),
        comparison("cos-vs-relu, n = 30", COS_30, RELU_30),
        comparison("a large effect: p far in the tail",
                   [91.02, 91.10, 90.95, 91.05, 90.99, 91.08], [87.60, 87.55, 87.66, 87.58, 87.62, 87.57],
                   solve_power=False),  # d is about 70: SciPy's noncentral t (Boost) aborts the process there
        comparison("ties between groups count one half", [1.0, 2.0, 3.0, 3.0], [2.0, 3.0, 3.0, 0.5]),
        comparison("n = 2 on each side", [88.1, 88.4], [87.5, 87.9]),
    ]
    return {
        "source": {
            "generatedBy": GENERATED_BY,
            "welch": "scipy.stats.ttest_ind(candidate, baseline, equal_var=False): t and two-sided p; df from "
                     "statsmodels.stats.weightstats.ttest_ind(candidate, baseline, usevar='unequal') "
                     "(checked to give the same t and p)",
            "paired": "scipy.stats.ttest_rel(candidate, baseline) over same-index pairs: t and two-sided p; df = n - 1",
            "probabilityOfImprovement": "scipy.stats.mannwhitneyu(candidate, baseline).statistic / (n1 * n2)",
            "cohenD": "NumPy: (mean(candidate) - mean(baseline)) / pooled sample standard deviation",
            "seedsForPower": "statsmodels.stats.power.TTestIndPower().solve_power(effect_size=|cohenD|, alpha=0.05, "
                             "power=0.8, ratio=1, alternative='two-sided'): seeds per group, not rounded; null where SciPy "
                             "cannot evaluate it",
        },
        "cases": cases,
    }


def holm():
    families = [
        [0.01, 0.04, 0.03, 0.005],
        [0.2, 0.5, 0.04],
        [0.012, 0.012, 0.04, 0.9],
        [0.6, 0.7, 0.8, 0.95],
        [1e-10, 0.049, 0.0125, 0.0126, 0.3, 0.002],
        [0.03],
    ]
    return {
        "source": {
            "generatedBy": GENERATED_BY,
            "adjusted": "statsmodels.stats.multitest.multipletests(p, alpha=0.05, method='holm')[1]",
            "reject": "statsmodels.stats.multitest.multipletests(p, alpha=0.05, method='holm')[0]",
        },
        "cases": [
            {"p": p, "adjusted": [float(x) for x in multipletests(p, alpha=ALPHA, method="holm")[1]],
             "reject": [bool(x) for x in multipletests(p, alpha=ALPHA, method="holm")[0]]}
            for p in families
        ],
    }


def power():
    curve = [
        {"effectSize": d, "seedsPerGroup": n,
         "power": float(TTestIndPower().power(effect_size=d, nobs1=n, alpha=ALPHA, ratio=1.0, alternative="two-sided"))}
        for d in (0.3, 0.8, 1.5) for n in (2, 3, 5, 10, 30)
    ]
    solve = [{"effectSize": d, "seedsPerGroup": seeds_for_power(d)} for d in (0.05, 0.2, 0.5, 0.8, 1.2, 2.0, 3.0)]
    noncentral_t = [
        {"x": x, "df": df, "noncentrality": nc, "cdf": float(st.nct.cdf(x, df, nc)), "sf": float(st.nct.sf(x, df, nc))}
        for (x, df, nc) in [(2.306, 8, 1.5), (-2.306, 8, 1.5), (2.0, 2, 3.0), (1.96, 400, 2.8), (0.0, 5, -1.0),
                            (3.5, 20, 0.5), (1.96, 60000, 3.0)]
    ]
    return {
        "source": {
            "generatedBy": GENERATED_BY,
            "curve": "statsmodels.stats.power.TTestIndPower().power(effect_size, nobs1=seedsPerGroup, alpha=0.05, "
                     "ratio=1, alternative='two-sided')",
            "solve": "statsmodels.stats.power.TTestIndPower().solve_power(effect_size, alpha=0.05, power=0.8, ratio=1, "
                     "alternative='two-sided'): seeds per group, not rounded",
            "noncentralT": "scipy.stats.nct.cdf(x, df, noncentrality) and scipy.stats.nct.sf(x, df, noncentrality)",
        },
        "curve": curve,
        "solve": solve,
        "noncentralT": noncentral_t,
    }


# A sweep of two models with ReLU (the baseline), Swish and CoS at five seeds each: what the report test feeds through
# the whole report, and every comparison's Welch p adjusted by Holm across all four comparisons of the report.
REPORT_ACCURACY = {
    "shufflenetv2": {"relu": RELU_5, "swish": SWISH_5, "cos": COS_5},
    "squeezenet1_1": {
        "relu": [88.58, 88.21, 88.90, 88.47, 88.66],
        "swish": [88.80, 88.52, 89.07, 88.35, 88.71],
        "cos": [89.18, 88.74, 89.40, 88.95, 89.02],
    },
}


def report():
    comparisons_ = []
    for model, by_activation in REPORT_ACCURACY.items():
        for activation in ("swish", "cos"):
            a, b = by_activation[activation], by_activation["relu"]
            d = cohen_d(a, b)
            comparisons_.append({
                "model": model, "activation": activation,
                "welch": welch(a, b), "paired": paired(a, b),
                "probabilityOfImprovement": probability_of_improvement(a, b),
                "seedsForPower": seeds_for_power(d),
            })
    adjusted = multipletests([c["welch"]["p"] for c in comparisons_], alpha=ALPHA, method="holm")[1]
    for c, p in zip(comparisons_, adjusted):
        c["holmP"] = float(p)
    return {
        "source": {
            "generatedBy": GENERATED_BY,
            "accuracy": "inputs: final test accuracy (%) per seed 1..5, by model and activation; relu is the baseline",
            "welch": "scipy.stats.ttest_ind(activation, relu, equal_var=False); df from statsmodels ttest_ind(usevar='unequal')",
            "paired": "scipy.stats.ttest_rel(activation, relu), seeds paired by position (seed 1 with seed 1, ...)",
            "probabilityOfImprovement": "scipy.stats.mannwhitneyu(activation, relu).statistic / 25",
            "seedsForPower": "statsmodels TTestIndPower().solve_power(|Cohen's d|, alpha=0.05, power=0.8)",
            "holmP": "statsmodels multipletests([every comparison's welch p], method='holm')[1], over all four",
        },
        "accuracy": REPORT_ACCURACY,
        "comparisons": comparisons_,
    }


def write(name, content):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(content, f, indent=2, allow_nan=False)
        f.write("\n")
    print(path)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    write("comparisons.json", comparisons())
    write("holm.json", holm())
    write("power.json", power())
    write("report.json", report())
