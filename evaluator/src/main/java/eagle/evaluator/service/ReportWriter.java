package eagle.evaluator.service;

import eagle.evaluator.gate.Blessing;
import eagle.evaluator.report.EvaluationReport;
import eagle.evaluator.report.SuiteFacts;
import eagle.scenes.suite.SuiteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes an evaluation's HTML page into the reports folder and names the URL it is served at. */
public final class ReportWriter {

    private final Path reportsDir;
    private final String publicUrl;

    public ReportWriter(Path reportsDir, String publicUrl) {
        this.reportsDir = reportsDir;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    public Path reportsDir() {
        return reportsDir;
    }

    /** The report of a gated evaluation; returns its URL. */
    public String gated(
            String model,
            int version,
            SuiteFacts suite,
            Blessing b,
            Scored cand,
            Scored baseline,
            Scored base,
            String title) {
        return write(
                new EvaluationReport.Input(
                        model,
                        version,
                        suite.id(),
                        b,
                        result(cand),
                        result(baseline),
                        result(base),
                        null,
                        title,
                        suite));
    }

    /** The report of a rejected artifact; returns its URL. */
    public String rejected(String model, int version, String suiteId, Rejection r) {
        return write(
                new EvaluationReport.Input(
                        model,
                        version,
                        suiteId,
                        null,
                        null,
                        null,
                        null,
                        r.code() + ": " + r.reason(),
                        "Rejected candidate",
                        SuiteFacts.of(suiteId)));
    }

    private String write(EvaluationReport.Input in) {
        String name =
                in.model()
                        + "-v"
                        + in.version()
                        + "-"
                        + in.suiteId()
                        + "-"
                        + System.currentTimeMillis()
                        + ".html";
        try {
            Files.createDirectories(reportsDir);
            Files.writeString(reportsDir.resolve(name), EvaluationReport.html(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + name, e);
        }
        return publicUrl + "/reports/" + name;
    }

    private static SuiteResult result(Scored s) {
        return s == null ? null : s.result();
    }
}
