package eagle.ingest.convert;

import eagle.contracts.AnnotationEvent;
import java.io.IOException;

/** Turns an export's image reference (a path or URI) into a claim check {uri, sha256}. */
@FunctionalInterface
public interface ImageResolver {

    AnnotationEvent.ImageRef resolve(String reference) throws IOException;
}
