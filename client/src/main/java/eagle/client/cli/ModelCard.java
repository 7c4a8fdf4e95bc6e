package eagle.client.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a registered base says about itself, written as JSON into its safetensors metadata ({@value
 * EncoderImport#MODEL_CARD}): where it came from and under which licence. No time stamp, so the
 * same weights registered twice give the same file and digest (the registry then answers with the
 * existing version).
 *
 * @param name the registry model name it was registered under
 * @param source the path or URL given with {@code --source}, else the file's or folder's name
 * @param format the {@code --from} format: {@code openai}, {@code hf}, {@code eva} or {@code
 *     openclip}
 * @param licence {@code --licence}, else {@value #UNKNOWN}
 */
public record ModelCard(String name, String source, String format, String licence) {

    /** The licence when none is given. */
    public static final String UNKNOWN = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelCard {
        licence = licence == null || licence.isBlank() ? UNKNOWN : licence;
    }

    /** The card as one JSON object. */
    public String toJson() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("source", source);
        m.put("format", format);
        m.put("licence", licence);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
