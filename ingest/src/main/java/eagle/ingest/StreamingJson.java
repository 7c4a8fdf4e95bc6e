package eagle.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import eagle.contracts.SampleEvent;
import java.io.IOException;

/**
 * Hand-written Jackson streaming writers for the two values ingest writes most: the image's
 * aggregate into its store (whole for a new image or a correction, else one appended instance: see
 * {@link StoredAggregate}) and the image's sample to the samples topic (once per changed image per
 * emit interval). They write the same JSON as the databind mapper ({@link JsonSerde#MAPPER}; same
 * fields, order and formats), about twice as fast; values are still read with the mapper. {@code
 * StreamingJsonTest} checks the equality.
 */
final class StreamingJson {

    private StreamingJson() {}

    static void writeAggregate(JsonGenerator g, ImageAggregate a) throws IOException {
        g.writeStartObject();
        g.writeStringField("imageId", a.imageId());
        g.writeFieldName("image");
        if (a.image() == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeStringField("sha256", a.image().sha256());
            g.writeNumberField("width", a.image().width());
            g.writeNumberField("height", a.image().height());
            g.writeStringField("blobUri", a.image().blobUri());
            g.writeEndObject();
        }
        g.writeArrayFieldStart("instances");
        for (ImageAggregate.Instance i : a.instances()) {
            writeInstance(g, i);
        }
        g.writeEndArray();
        g.writeStringField("updatedAt", a.updatedAt() == null ? null : a.updatedAt().toString());
        g.writeEndObject();
    }

    /**
     * One instance of an aggregate, as {@link #writeAggregate} writes it inside {@code instances}.
     */
    static void writeInstance(JsonGenerator g, ImageAggregate.Instance i) throws IOException {
        g.writeStartObject();
        g.writeStringField("instanceId", i.instanceId());
        g.writeStringField("className", i.className());
        g.writeStringField("maskCounts", i.maskCounts());
        g.writeStringField("annotator", i.annotator());
        g.writeEndObject();
    }

    static void writeSample(JsonGenerator g, SampleEvent s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", s.schemaVersion());
        g.writeStringField("imageId", s.imageId());
        g.writeFieldName("image");
        if (s.image() == null) {
            g.writeNull();
        } else {
            g.writeStartObject();
            g.writeStringField("sha256", s.image().sha256());
            g.writeNumberField("width", s.image().width());
            g.writeNumberField("height", s.image().height());
            g.writeStringField("blobUri", s.image().blobUri());
            g.writeEndObject();
        }
        g.writeFieldName("instances");
        if (s.instances() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (SampleEvent.Instance i : s.instances()) {
                g.writeStartObject();
                g.writeStringField("instanceId", i.instanceId());
                g.writeStringField("className", i.className());
                g.writeFieldName("mask");
                if (i.mask() == null) {
                    g.writeNull();
                } else {
                    g.writeStartObject();
                    g.writeFieldName("size");
                    if (i.mask().size() == null) {
                        g.writeNull();
                    } else {
                        g.writeStartArray();
                        for (Integer v : i.mask().size()) {
                            if (v == null) {
                                g.writeNull();
                            } else {
                                g.writeNumber(v);
                            }
                        }
                        g.writeEndArray();
                    }
                    g.writeStringField("counts", i.mask().counts());
                    g.writeEndObject();
                }
                g.writeStringField("annotator", i.annotator());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeFieldName("annotators");
        if (s.annotators() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String a : s.annotators()) {
                g.writeString(a);
            }
            g.writeEndArray();
        }
        g.writeStringField("updatedAt", s.updatedAt());
        g.writeEndObject();
    }
}
