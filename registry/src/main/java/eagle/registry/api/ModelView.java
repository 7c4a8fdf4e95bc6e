package eagle.registry.api;

import eagle.registry.model.EncoderModel;
import java.time.Instant;

/** A model as the API shows it. */
public record ModelView(String name, String description, String createdBy, Instant createdAt) {

    public static ModelView of(EncoderModel m) {
        return new ModelView(m.name, m.description, m.createdBy, m.createdAt);
    }
}
