package io.patchbay.bench.chart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import io.patchbay.bench.Results;

/**
 * The charts of a run, as PNG files next to its JSON ({@code <json name>-<chart>.png}), drawn with JFreeChart:
 * latency against offered rate for each implementation, CPU per command for each implementation, and, for a
 * growth sweep, throughput and latency against each dimension. Returns the files' names (relative to the JSON).
 */
public final class Charts {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0x9467bd), new Color(0xff7f0e)};

    private Charts() {
    }

    /** The charts of a benchmark run. */
    public static List<String> forRun(Results.Run run, Path json, int sloP99Millis) {
        List<String> written = new ArrayList<>();
        if (!run.latency().isEmpty()) {
            written.add(write(json, "latency-vs-rate", latencyVsRate(run.latency(), sloP99Millis)));
        }
        if (run.processor() != null) {
            written.add(write(json, "cpu-per-command", cpuPerCommand(run)));
        }
        return written;
    }

    /** The charts of a growth sweep: one per dimension, throughput vs table size on a logarithmic axis. */
    public static List<String> forGrowth(List<Results.GrowthPoint> points, Path json) {
        List<String> written = new ArrayList<>();
        List<String> dimensions = points.stream().map(Results.GrowthPoint::dimension).distinct().toList();
        for (String dimension : dimensions) {
            List<Results.GrowthPoint> of = points.stream().filter(p -> p.dimension().equals(dimension)).toList();
            JFreeChart chart = "table-size".equals(dimension) ? throughputVsTableSize(of) : dimension(dimension, of);
            written.add(write(json, "table-size".equals(dimension) ? "throughput-vs-table-size" : dimension, chart));
        }
        return written;
    }

    static JFreeChart latencyVsRate(List<Results.LatencyLadder> ladders, int sloP99Millis) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Results.LatencyLadder ladder : ladders) {
            XYSeries p99 = new XYSeries(ladder.implementation() + " p99");
            XYSeries p50 = new XYSeries(ladder.implementation() + " p50");
            for (Results.SteadyLatency step : ladder.steps()) {
                p99.add(step.offeredRate(), Math.max(0.1, step.latencyMillis().p99()));
                p50.add(step.offeredRate(), Math.max(0.1, step.latencyMillis().p50()));
            }
            data.addSeries(p99);
            data.addSeries(p50);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("End-to-end latency under load", "offered rate, records/s",
                "latency, ms", data, PlotOrientation.VERTICAL, true, false, false);
        chart.addSubtitle(new TextTitle("open loop from a load generator in its own JVM; rates are 10-90% of each"
                + " implementation's own drain rate; processor: command produced -> outcome read; sink: record produced -> row committed"));
        XYPlot plot = chart.getXYPlot();
        LogAxis y = new LogAxis("latency, ms (log scale)");
        y.setSmallestValue(0.1);
        y.setBase(10);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        y.setMinorTickCount(9);
        y.setMinorTickMarksVisible(true);
        y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (int i = 0; i < data.getSeriesCount(); i++) {
            lowest = Math.min(lowest, data.getSeries(i).getMinY());
            highest = Math.max(highest, data.getSeries(i).getMaxY());
        }
        y.setRange(Math.pow(10, Math.floor(Math.log10(Math.min(lowest, sloP99Millis / 10.0)))),
                Math.pow(10, Math.ceil(Math.log10(Math.max(highest * 1.2, sloP99Millis * 10.0)))));
        plot.setRangeAxis(y);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesPaint(i, COLORS[(i / 2) % COLORS.length]);
            renderer.setSeriesStroke(i, i % 2 == 0 ? new BasicStroke(2.5f)
                    : new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
        }
        plot.setRenderer(renderer);
        ValueMarker slo = new ValueMarker(sloP99Millis, Color.GRAY, new BasicStroke(1f));
        slo.setLabel("p99 target " + sloP99Millis + " ms");
        slo.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        slo.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        slo.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_RIGHT);
        slo.setLabelBackgroundColor(new Color(255, 255, 255, 0));
        plot.addRangeMarker(slo);
        return style(chart);
    }

    static JFreeChart cpuPerCommand(Results.Run run) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String app = "implementation's process";
        String db = "PostgreSQL";
        if (run.rawDatabase() != null) {
            add(data, "raw DB loop / command", run.rawDatabase().cpuMillisPerCommand(), app, db);
        }
        Results.Drain drain = run.processor();
        add(data, "processor / command", drain.cpuMillisPerCommand(), app, db);
        double perChange = (double) drain.commands() / Math.max(1, drain.statuses().applied());
        Results.CpuPerCommand c = drain.cpuMillisPerCommand();
        add(data, "processor / applied change", new Results.CpuPerCommand(c.app() * perChange, c.appScope(),
                c.database() * perChange), app, db);
        if (run.peer() != null) {
            for (Results.SinkRun sink : run.peer().runs()) {
                add(data, "sink " + sink.configuration() + " / record", sink.cpuMillisPerRecord(), app, db);
            }
        }
        JFreeChart chart = ChartFactory.createStackedBarChart("CPU per command", null, "CPU ms", data,
                PlotOrientation.HORIZONTAL, true, false, false);
        String naive = run.naiveConsumer() == null ? "" : String.format(Locale.ROOT,
                "; the naive consumer (%.2f + %.2f ms per command) is off this scale",
                run.naiveConsumer().cpuMillisPerCommand().app(), run.naiveConsumer().cpuMillisPerCommand().database());
        chart.addSubtitle(new TextTitle("CPU time of the implementation's JVM (raw loop: its thread; sink: Kafka Connect)"
                + " and of PostgreSQL while it drained the same backlog; the sink gets one record per change the"
                + " processor applied" + naive));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getDomainAxis().setMaximumCategoryLabelWidthRatio(0.35f);
        StackedBarRenderer renderer = (StackedBarRenderer) plot.getRenderer();
        renderer.setSeriesPaint(0, COLORS[0]);
        renderer.setSeriesPaint(1, COLORS[2]);
        renderer.setDefaultItemLabelGenerator(new org.jfree.chart.labels.StandardCategoryItemLabelGenerator(
                "{2}", new java.text.DecimalFormat("0.000")));
        renderer.setDefaultItemLabelsVisible(true);
        return style(chart);
    }

    private static void add(DefaultCategoryDataset data, String category, Results.CpuPerCommand cpu, String app, String db) {
        if (cpu.app() >= 0 && cpu.database() >= 0) {
            data.addValue(cpu.app(), app, category);
            data.addValue(cpu.database(), db, category);
        }
    }

    static JFreeChart throughputVsTableSize(List<Results.GrowthPoint> points) {
        XYSeries rate = new XYSeries("processor commands/s");
        XYSeries p99 = new XYSeries("p99 latency at 50% of drain, ms");
        for (Results.GrowthPoint p : points) {
            rate.add(p.resources(), p.commandsPerSecond());
            if (p.latencyMillis() != null) {
                p99.add(p.resources(), Math.max(0.1, p.latencyMillis().p99()));
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Processor throughput vs table size", "rows (log scale)",
                "commands/s", new XYSeriesCollection(rate), PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("rows (log scale)");
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        x.setMinorTickCount(9);
        x.setMinorTickMarksVisible(true);
        x.setRange(rate.getMinX() / 1.5, rate.getMaxX() * 1.5);
        plot.setDomainAxis(x);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        plot.setRenderer(0, renderer(COLORS[0]));
        NumberAxis latency = new NumberAxis("p99 ms");
        plot.setRangeAxis(1, latency);
        plot.setDataset(1, new XYSeriesCollection(p99));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, renderer(COLORS[1]));
        return style(chart);
    }

    static JFreeChart dimension(String dimension, List<Results.GrowthPoint> points) {
        DefaultCategoryDataset rates = new DefaultCategoryDataset();
        DefaultCategoryDataset latency = new DefaultCategoryDataset();
        for (Results.GrowthPoint p : points) {
            rates.addValue(p.commandsPerSecond(), "commands/s", p.value());
            if (p.latencyMillis() != null) {
                latency.addValue(p.latencyMillis().p99(), "p99 latency at 50% of drain, ms", p.value());
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Processor throughput and latency by " + dimension.replace('-', ' '),
                dimension.replace('-', ' '), "commands/s", rates, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRenderer().setSeriesPaint(0, COLORS[0]);
        plot.setDataset(1, latency);
        plot.setRangeAxis(1, new NumberAxis("p99 ms"));
        plot.mapDatasetToRangeAxis(1, 1);
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, COLORS[1]);
        line.setSeriesStroke(0, new BasicStroke(2.5f));
        plot.setRenderer(1, line);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        return style(chart);
    }

    private static XYLineAndShapeRenderer renderer(Color color) {
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, color);
        renderer.setSeriesStroke(0, new BasicStroke(2.5f));
        return renderer;
    }

    private static JFreeChart style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        chart.getSubtitles().stream().filter(TextTitle.class::isInstance).map(TextTitle.class::cast)
                .forEach(t -> t.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
            xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        } else if (chart.getPlot() instanceof CategoryPlot category) {
            category.setRangeGridlinePaint(Color.LIGHT_GRAY);
        }
        return chart;
    }

    private static String write(Path json, String name, JFreeChart chart) {
        System.setProperty("java.awt.headless", "true");
        String base = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path file = json.toAbsolutePath().resolveSibling(base + "-" + name + ".png");
        try {
            Files.createDirectories(file.getParent());
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chart " + file, e);
        }
        return file.getFileName().toString();
    }
}
