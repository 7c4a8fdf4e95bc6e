package eagle.trainer;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The trainer without the HTTP service ("headless"): the same {@link TrainerEngine}, configured by
 * a properties file with the service's keys ({@code eagle.trainer.*}, {@code
 * kafka.bootstrap.servers}); system properties override the file; defaults are {@link
 * TrainerSettings}'. Used for batch runs and by the kill-and-resume test, which kills this process
 * with SIGKILL.
 *
 * <pre>
 *   java -cp … eagle.trainer.TrainerMain trainer.properties
 * </pre>
 */
public final class TrainerMain {

    private TrainerMain() {}

    public static void main(String[] args) throws IOException {
        Properties props = new Properties();
        if (args.length > 0) {
            try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
                props.load(in);
            }
        }
        props.putAll(System.getProperties());
        Map<String, String> values = new HashMap<>();
        props.stringPropertyNames().forEach(k -> values.put(k, props.getProperty(k)));
        TrainerEngine engine = new TrainerEngine(TrainerSettings.from(values));
        Runtime.getRuntime().addShutdownHook(new Thread(engine::stop));
        engine.run();
        if (engine.status().phase() == TrainerPhase.FAILED) {
            System.exit(
                    1); // an orchestrator restarts it; a round that failed on its data is abandoned
            // then
        }
    }
}
