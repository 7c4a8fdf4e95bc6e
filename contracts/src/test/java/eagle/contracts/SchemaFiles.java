package eagle.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;

/** What the schema tests read off the JSON Schemas in {@code src/main/resources/schemas/}. */
final class SchemaFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemaFiles() {}

    /** The schema {@code schemas/<name>} from the classpath. */
    static JsonNode schema(String name) throws IOException {
        try (InputStream in = SchemaFiles.class.getResourceAsStream("/schemas/" + name)) {
            if (in == null) {
                throw new IOException("no schema schemas/" + name + " on the classpath");
            }
            return JSON.readTree(in);
        }
    }

    /** The field names of an object node, sorted. */
    static Set<String> names(JsonNode node) {
        Set<String> out = new TreeSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The texts of an array node, sorted. */
    static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
