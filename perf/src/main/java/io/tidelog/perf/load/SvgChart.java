package io.tidelog.perf.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn as inline SVG: a linear y axis from zero, and either a linear x axis or a
 * "percentile" x axis on which each step to the right is ten times closer to 100 % (0, 90, 99,
 * 99.9, ... %), as HdrHistogram's percentile plots draw them. Every series is one
 * {@code <polyline>} with a {@code data-series} attribute naming it; the output is well-formed XML.
 */
final class SvgChart {

    /** How x values map onto the horizontal axis. */
    enum XAxis { LINEAR, PERCENTILE }

    private static final int WIDTH = 860;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int BOTTOM = 50;
    static final double MAX_PERCENTILE_DECADES = 6;
    private static final String[] COLORS = {"#1f6fb2", "#d9480f", "#2b8a3e", "#862e9c"};

    private final String id;
    private final String xLabel;
    private final String yLabel;
    private final XAxis xAxis;
    private final List<Series> series = new ArrayList<>();
    private final List<double[]> shaded = new ArrayList<>();

    SvgChart(String id, XAxis xAxis, String xLabel, String yLabel) {
        this.id = id;
        this.xAxis = xAxis;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a line through {@code points} ({x, y} pairs; non-finite ones are skipped). */
    SvgChart series(String name, List<double[]> points) {
        series.add(new Series(name, COLORS[series.size() % COLORS.length], points));
        return this;
    }

    /** Shades the x range [from, to] (e.g. the warm-up). */
    SvgChart shade(double from, double to) {
        shaded.add(new double[] {from, to});
        return this;
    }

    /** x position of a percentile on the percentile axis: log10(1 / (1 - p/100)), capped. */
    static double percentileX(double percentile) {
        if (percentile >= 100) {
            return MAX_PERCENTILE_DECADES;
        }
        return Math.min(MAX_PERCENTILE_DECADES, Math.log10(100.0 / (100.0 - percentile)));
    }

    String render() {
        double xMax = 0;
        double yMax = 0;
        for (Series s : series) {
            for (double[] p : s.points) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                    xMax = Math.max(xMax, x(p[0]));
                    yMax = Math.max(yMax, p[1]);
                }
            }
        }
        xMax = xAxis == XAxis.PERCENTILE ? Math.max(2, Math.ceil(xMax)) : Math.max(1, xMax);
        double yStep = niceStep(yMax > 0 ? yMax : 1);
        yMax = Math.max(yStep, Math.ceil(yMax / yStep) * yStep);
        Frame f = new Frame(xMax, yMax);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"%s\" class=\"chart\" "
                + "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">%n", id, WIDTH, HEIGHT, WIDTH, HEIGHT));
        for (double[] s : shaded) {
            double x0 = f.px(x(s[0]));
            double x1 = f.px(Math.min(x(s[1]), xMax));
            b.append(String.format(Locale.ROOT, "<rect class=\"warmup\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                    + "fill=\"#eeeeee\"/>%n", x0, TOP, Math.max(0, x1 - x0), HEIGHT - TOP - BOTTOM));
        }
        yTicks(b, f, yStep);
        xTicks(b, f);
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        text(b, (LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 10, "middle", xLabel, "");
        text(b, 16, (TOP + HEIGHT - BOTTOM) / 2.0, "middle", yLabel,
                String.format(Locale.ROOT, " transform=\"rotate(-90 16 %.1f)\"", (TOP + HEIGHT - BOTTOM) / 2.0));
        int legendX = LEFT + 10;
        for (Series s : series) {
            b.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" "
                    + "stroke-width=\"2\" points=\"%s\"/>%n", Html.escape(s.name), s.color, points(f, s.points)));
            b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>%n",
                    legendX, TOP - 18, s.color));
            text(b, legendX + 16, TOP - 12, "start", s.name, "");
            legendX += 24 + 7 * s.name.length();
        }
        b.append("</svg>\n");
        return b.toString();
    }

    private void yTicks(StringBuilder b, Frame f, double step) {
        for (double v = 0; v <= f.yMax + step / 2; v += step) {
            double y = f.py(v);
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT, y, WIDTH - RIGHT, y));
            text(b, LEFT - 6, y + 4, "end", number(v), "");
        }
    }

    private void xTicks(StringBuilder b, Frame f) {
        if (xAxis == XAxis.PERCENTILE) {
            for (int d = 0; d <= (int) f.xMax; d++) {
                tick(b, f.px(d), percentileLabel(d));
            }
        } else {
            double step = niceStep(f.xMax);
            for (double v = 0; v <= f.xMax + step / 1000; v += step) {
                tick(b, f.px(v), number(v));
            }
        }
    }

    private void tick(StringBuilder b, double x, String label) {
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                x, TOP, x, HEIGHT - BOTTOM));
        text(b, x, HEIGHT - BOTTOM + 16, "middle", label, "");
    }

    /** 0 → "0%", 1 → "90%", 2 → "99%", 3 → "99.9%", ... */
    static String percentileLabel(int decades) {
        if (decades == 0) {
            return "0%";
        }
        if (decades == 1) {
            return "90%";
        }
        return "99" + (decades > 2 ? "." + "9".repeat(decades - 2) : "") + "%";
    }

    private static void text(StringBuilder b, double x, double y, String anchor, String text, String extra) {
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"12\" "
                + "font-family=\"sans-serif\"%s>%s</text>%n", x, y, anchor, extra, Html.escape(text)));
    }

    private String points(Frame f, List<double[]> points) {
        StringBuilder s = new StringBuilder();
        for (double[] p : points) {
            if (Double.isFinite(p[0]) && Double.isFinite(p[1])) {
                if (s.length() > 0) {
                    s.append(' ');
                }
                s.append(String.format(Locale.ROOT, "%.1f,%.1f", f.px(x(p[0])), f.py(p[1])));
            }
        }
        return s.toString();
    }

    private double x(double value) {
        return xAxis == XAxis.PERCENTILE ? percentileX(value) : value;
    }

    static double niceStep(double range) {
        double raw = range / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double normalized = raw / magnitude;
        double nice = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static String number(double v) {
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private record Series(String name, String color, List<double[]> points) {
    }

    /** Data space to pixels. */
    private record Frame(double xMax, double yMax) {
        double px(double x) {
            return LEFT + x / xMax * (WIDTH - LEFT - RIGHT);
        }

        double py(double y) {
            return HEIGHT - BOTTOM - y / yMax * (HEIGHT - TOP - BOTTOM);
        }
    }
}
