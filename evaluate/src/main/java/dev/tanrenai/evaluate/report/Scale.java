package dev.tanrenai.evaluate.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear map from a data interval to a pixel interval, with "nice" ticks (steps of 1, 2 or 5 times a
 * power of ten, about five of them). The data interval is the values' range padded by 8% on each side;
 * a single value (or all equal) gets ±1 (or ±10% of its magnitude) around it.
 *
 * @param lo data value drawn at {@code from}
 * @param hi data value drawn at {@code to}
 * @param from pixel coordinate of {@code lo}
 * @param to pixel coordinate of {@code hi} (smaller than {@code from} for an upward y-axis)
 */
record Scale(double lo, double hi, double from, double to) {

    Scale {
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("scale needs finite lo < hi, got " + lo + ", " + hi);
        }
    }

    static Scale of(List<Double> values, double from, double to) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("scale needs at least one value");
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        if (max == min) {
            double half = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new Scale(min - half, max + half, from, to);
        }
        double pad = (max - min) * 0.08;
        return new Scale(min - pad, max + pad, from, to);
    }

    double at(double value) {
        return from + (value - lo) / (hi - lo) * (to - from);
    }

    /** Multiples of a 1/2/5 × 10^k step inside [lo, hi], about five of them. */
    List<Double> ticks() {
        double raw = (hi - lo) / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double fraction = raw / magnitude;
        double step = (fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10) * magnitude;
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / step); k * step <= hi; k++) {
            double t = k * step;
            out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
        }
        return out;
    }
}
