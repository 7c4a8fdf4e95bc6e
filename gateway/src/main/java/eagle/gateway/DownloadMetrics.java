package eagle.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Downloads of the encoder's files (docs/ARCHITECTURE.md, Serving), on both paths ({@link
 * FileRoutes} and {@link EncoderResource}): {@code gateway.downloads} tagged {@code file} (weights,
 * visual, hf/&lt;name&gt;, version-weights) and {@code status} (200, 206, 304, 416), and {@code
 * gateway.download.bytes} tagged {@code file}: the body bytes handed to the connection (a 304 sends
 * none).
 */
@ApplicationScoped
public class DownloadMetrics {

    public static final String DOWNLOADS = "gateway.downloads";
    public static final String BYTES = "gateway.download.bytes";

    private final MeterRegistry meters;

    public DownloadMetrics(MeterRegistry meters) {
        this.meters = meters;
        meters.counter(BYTES, "file", "weights");
    }

    public void served(String file, int status, long bytes) {
        meters.counter(DOWNLOADS, "file", file, "status", Integer.toString(status)).increment();
        if (bytes > 0) {
            meters.counter(BYTES, "file", file).increment(bytes);
        }
    }

    /** Counts a {@link FileResponses#serve} answer and returns it. */
    public Response counted(String file, Response r) {
        long bytes = r.getEntity() instanceof PathPart p ? p.count : 0;
        served(file, r.getStatus(), bytes);
        return r;
    }
}
