package org.originhub.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one run: written as CSV (raw) and as a Markdown table with the machine, date and command, into the
 * run's folder; when published, the CSV is copied to {@code benchmarks/<date>-<key>.csv} and the table replaces the
 * section of {@code BENCHMARKS.md} between the markers of this key, so the file's hand-written history stays.
 */
final class Results {
    /** One figure: a bound, or a hub figure with its bound (ratio) or the target. */
    record Row(String section, String scenario, String figure, double value, String unit, double bound, double target, String note) {
        String ratio() {
            if (!Double.isNaN(bound) && bound > 0) return String.format(Locale.ROOT, "%.0f %% of %.1f", 100 * value / bound, bound);
            if (!Double.isNaN(target)) return String.format(Locale.ROOT, "target ≤ %s %s: %s", fmt(target), unit, value <= target ? "met" : "NOT met");
            return "";
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void bound(String figure, double value, String unit, String note) {
        rows.add(new Row("bound", "machine", figure, value, unit, Double.NaN, Double.NaN, note));
        System.out.printf(Locale.ROOT, "BENCHMARK bound %s: %.1f %s%n", figure, value, unit);
    }

    void hub(String scenario, String figure, double value, String unit, double bound, double target, String note) {
        Row r = new Row("hub", scenario, figure, value, unit, bound, target, note);
        rows.add(r);
        System.out.printf(Locale.ROOT, "BENCHMARK %s %s: %.1f %s %s %s%n", scenario, figure, value, unit, r.ratio(), note);
    }

    void write(Path runDir, String key, int cores, String command, boolean publish) throws IOException {
        StringBuilder csv = new StringBuilder("section,scenario,figure,value,unit,bound,ratio,target,note\n");
        for (Row r : rows) {
            csv.append(String.join(",", r.section(), q(r.scenario()), q(r.figure()), fmt(r.value()), r.unit(),
                    Double.isNaN(r.bound()) ? "" : fmt(r.bound()),
                    Double.isNaN(r.bound()) ? "" : String.format(Locale.ROOT, "%.3f", r.value() / r.bound()),
                    Double.isNaN(r.target()) ? "" : fmt(r.target()), q(r.note()))).append('\n');
        }
        Files.writeString(runDir.resolve("results.csv"), csv, StandardCharsets.UTF_8);
        String md = markdown(key, cores, command);
        Files.writeString(runDir.resolve("report.md"), md, StandardCharsets.UTF_8);
        if (!publish) return;
        Path benchmarks = Files.createDirectories(Path.of("benchmarks"));
        String csvName = LocalDate.now(ZoneOffset.UTC) + "-" + key + ".csv";
        Files.writeString(benchmarks.resolve(csvName), csv, StandardCharsets.UTF_8);
        Path file = Path.of("BENCHMARKS.md");
        String begin = "<!-- benchmark:" + key + ":begin -->";
        String end = "<!-- benchmark:" + key + ":end -->";
        String section = begin + "\n" + md + "\nRaw results: [`benchmarks/" + csvName + "`](benchmarks/" + csvName + ")\n" + end;
        String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "# Benchmarks\n\n";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        text = b >= 0 && e > b ? text.substring(0, b) + section + text.substring(e + end.length()) : text + "\n" + section + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private String markdown(String key, int cores, String command) {
        StringBuilder md = new StringBuilder();
        md.append("### Latest run, ").append(key.equals("rsa3072") ? "RSA-3072" : "ECDSA P-256").append(" keys\n\n");
        md.append("- Date: ").append(ZonedDateTime.now(ZoneOffset.UTC).withNano(0)).append('\n');
        md.append("- Machine: ").append(cores).append(" cores, ").append(cpuModel()).append(", ").append(memTotal())
                .append(" RAM; Java ").append(System.getProperty("java.vm.version")).append(" (")
                .append(System.getProperty("java.vm.name")).append("); ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append('\n');
        md.append("- Command: `").append(command).append("`\n\n");
        md.append("| | scenario | figure | value | unit | ratio to bound / target | note |\n|---|---|---|---:|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.section()).append(" | ").append(r.scenario()).append(" | ").append(r.figure()).append(" | ")
                    .append(fmt(r.value())).append(" | ").append(r.unit()).append(" | ").append(r.ratio()).append(" | ")
                    .append(r.note()).append(" |\n");
        }
        return md.toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format(Locale.ROOT, "%.1f GB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
