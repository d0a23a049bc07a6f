package org.emma4j.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.emma4j.model.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The loss curves of a run (train per step, held-out per evaluation) as a PNG, drawn without a display. */
final class LossCurvePlot {
    static {
        // Before any AWT class initialises: servers and CI have no display.
        System.setProperty("java.awt.headless", "true");
    }

    static final String FILE = "loss.png";

    private LossCurvePlot() {
    }

    /** Writes the chart to {@code png} atomically; points with a non-finite loss are left out. Nothing is written without points. */
    static void write(Path png, String title, List<double[]> train, List<double[]> heldout) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double[] first = firstFinite(train, heldout);
        if (first == null) {
            return;
        }
        add(chart, "train", train, false);
        add(chart, "held-out", heldout, true);
        // XChart labels an axis whose x values are equally spaced (steps 1, 2, 3, ...) at data points, crowding
        // the labels; an invisible point at x = 0.5 (on an existing y, so the y range is unchanged) keeps the
        // spacing uneven and the ticks round.
        XYSeries anchor = chart.addSeries(" ", new double[] {0.5}, new double[] {first[1]});
        anchor.setShowInLegend(false);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(SeriesLines.NONE);
        AtomicFiles.writeBytes(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static double[] firstFinite(List<double[]> a, List<double[]> b) {
        for (List<double[]> points : List.of(a, b)) {
            for (double[] p : points) {
                if (Double.isFinite(p[1])) {
                    return p;
                }
            }
        }
        return null;
    }

    private static void add(XYChart chart, String name, List<double[]> points, boolean markers) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int n = 0;
        for (double[] p : points) {
            if (Double.isFinite(p[1])) {
                x[n] = p[0];
                y[n] = p[1];
                n++;
            }
        }
        if (n == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
        s.setMarker(markers || n == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }
}
