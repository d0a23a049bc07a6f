package org.emma4j.model.eval.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Two runs as a PNG of grouped bar charts (XChart): one panel per task and metric, with a bar pair per
 * language and for the average, panels laid out two to a row. Rendered headless: no display is needed.
 */
public final class ComparisonChart {
    static {
        // Before any AWT class loads, so that rendering works on machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private ComparisonChart() {
    }

    static final int PANEL_WIDTH = 640;
    static final int PANEL_HEIGHT = 360;
    static final int MAX_PANELS = 24;

    /** Writes the chart; returns the number of panels drawn. */
    public static int write(EvalResults a, EvalResults b, String nameA, String nameB, Path png) throws IOException {
        Map<String, List<Comparison.Row>> panels = new LinkedHashMap<>();
        for (Comparison.Row r : Comparison.rows(a, b)) {
            panels.computeIfAbsent(r.task() + " · " + r.metric(), k -> new ArrayList<>()).add(r);
        }
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("the two result files share no task and metric to chart");
        }
        List<BufferedImage> images = new ArrayList<>();
        for (Map.Entry<String, List<Comparison.Row>> p : panels.entrySet()) {
            if (images.size() == MAX_PANELS) {
                break;
            }
            images.add(BitmapEncoder.getBufferedImage(panel(p.getKey(), p.getValue(), nameA, nameB)));
        }
        int columns = Math.min(2, images.size());
        int rows = (images.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % columns) * PANEL_WIDTH, (i / columns) * PANEL_HEIGHT, null);
        }
        g.dispose();
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        if (!ImageIO.write(sheet, "png", png.toFile())) {
            throw new IOException("no PNG writer available to write " + png);
        }
        return images.size();
    }

    private static CategoryChart panel(String title, List<Comparison.Row> rows, String nameA, String nameB) {
        CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setXAxisLabelRotation(rows.size() > 6 ? 45 : 0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setSeriesColors(new Color[] {new Color(0x4C72B0), new Color(0xDD8452)});
        List<String> labels = rows.stream().map(Comparison.Row::language).toList();
        chart.addSeries(nameA, labels, rows.stream().map(Comparison.Row::a).toList());
        chart.addSeries(nameB, labels, rows.stream().map(Comparison.Row::b).toList());
        return chart;
    }
}
