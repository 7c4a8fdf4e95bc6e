package eagle.ingest.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.core.mask.CocoRle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Label Studio JSON export (a list of tasks) → events: every {@code brushlabels} result with
 * {@code value.format = "rle"} (brush RLE, see {@link LabelStudioRle}) and every {@code
 * polygonlabels} result (points in percent of the image) of every annotation. Image id = prefix +
 * task id; instance id = annotation id + "/" + result id; annotator = {@code completed_by}; time =
 * {@code created_at}.
 */
public final class LabelStudioConverter {

    private final ObjectMapper json = new ObjectMapper();

    public List<AnnotationEvent> convert(Path file, ImageResolver images, ExportDefaults defaults)
            throws IOException {
        JsonNode tasks = json.readTree(file.toFile());
        List<AnnotationEvent> out = new ArrayList<>();
        for (JsonNode task : tasks) {
            String imageId = defaults.idPrefix() + task.get("id").asText();
            AnnotationEvent.ImageRef image = null;
            for (JsonNode annotation : task.path("annotations")) {
                String annotator = annotator(annotation.get("completed_by"), defaults.annotator());
                String time =
                        annotation.hasNonNull("created_at")
                                ? annotation.get("created_at").asText()
                                : defaults.time();
                for (JsonNode result : annotation.path("result")) {
                    String type = result.path("type").asText();
                    if (!type.equals("brushlabels") && !type.equals("polygonlabels")) {
                        continue;
                    }
                    if (image == null) {
                        image = images.resolve(task.at("/data/image").asText());
                    }
                    int height = result.get("original_height").asInt();
                    int width = result.get("original_width").asInt();
                    JsonNode value = result.get("value");
                    AnnotationEvent.Mask mask;
                    String className;
                    if (type.equals("brushlabels")) {
                        JsonNode rle = value.get("rle");
                        int[] bytes = new int[rle.size()];
                        for (int i = 0; i < bytes.length; i++) {
                            bytes[i] = rle.get(i).asInt();
                        }
                        mask =
                                AnnotationEvent.Mask.rle(
                                        height,
                                        width,
                                        CocoRle.encode(LabelStudioRle.toMask(bytes, height, width))
                                                .toCompressedString());
                        className = value.at("/brushlabels/0").asText();
                    } else {
                        JsonNode points = value.get("points");
                        double[] xy = new double[points.size() * 2];
                        for (int i = 0; i < points.size(); i++) {
                            xy[2 * i] = points.get(i).get(0).asDouble() * width / 100.0;
                            xy[2 * i + 1] = points.get(i).get(1).asDouble() * height / 100.0;
                        }
                        mask = new AnnotationEvent.Mask(List.of(height, width), null, List.of(xy));
                        className = value.at("/polygonlabels/0").asText();
                    }
                    out.add(
                            new AnnotationEvent(
                                    AnnotationEvent.SCHEMA_VERSION,
                                    imageId,
                                    annotation.get("id").asText() + "/" + result.get("id").asText(),
                                    className,
                                    mask,
                                    image,
                                    annotator,
                                    time));
                }
            }
        }
        return out;
    }

    private static String annotator(JsonNode completedBy, String fallback) {
        if (completedBy == null || completedBy.isNull()) {
            return fallback;
        }
        if (completedBy.isObject()) {
            return completedBy.hasNonNull("email")
                    ? completedBy.get("email").asText()
                    : completedBy.path("id").asText(fallback);
        }
        return completedBy.asText();
    }
}
