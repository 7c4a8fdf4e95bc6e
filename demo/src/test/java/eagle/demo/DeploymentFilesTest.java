package eagle.demo;

import static org.junit.jupiter.api.Assertions.fail;

import eagle.contracts.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Static checks of the deployment files: {@code docker-compose.yml} at the repository root, each
 * service's {@code src/main/docker/Dockerfile.jvm}, and the shared images of the top-level {@code
 * src/main/docker/} (the JVM base image the service images start from, the all-in-one demo). No
 * Docker engine is needed (none exists where this was written): the files are parsed and compared
 * with what the services really read and offer: their {@code application.properties}, the
 * {@code @ConfigProperty}/{@code @ConfigMapping} uses in their sources, their Maven dependencies,
 * the topics of {@link Topics} and {@link CreateTopics}, and the kafka-clients version on this
 * classpath. Each check lists every problem it finds.
 */
class DeploymentFilesTest {

    /**
     * The platform's services and the operator console, each a Quarkus module with a Dockerfile.
     */
    static final List<String> SERVICES =
            List.of("registry", "ingest", "trainer", "evaluator", "gateway", "console");

    /** The fast-jar layout every Dockerfile must copy. */
    static final List<String> FAST_JAR =
            List.of(
                    "target/quarkus-app/lib/",
                    "target/quarkus-app/*.jar",
                    "target/quarkus-app/app/",
                    "target/quarkus-app/quarkus/");

    /** Paths quarkus-smallrye-health serves (with the default root paths). */
    static final Set<String> HEALTH_PATHS =
            Set.of("/q/health", "/q/health/ready", "/q/health/live", "/q/health/started");

    /** The shared JVM base image's Dockerfile, relative to the repository root. */
    static final String JVM_BASE = "src/main/docker/Dockerfile.jvm-base";

    /** The all-in-one demo image's Dockerfile, relative to the repository root. */
    static final String DEMO_IMAGE = "src/main/docker/Dockerfile.demo";

    /** The modules whose build outputs scripts/demo.sh runs. */
    static final List<String> DEMO_MODULES =
            List.of("registry", "ingest", "trainer", "evaluator", "gateway", "infra", "demo");

    /** Environment variables the images themselves read (not Quarkus properties). */
    static final Set<String> CONTAINER_VARIABLES = Set.of("JAVA_OPTS", "JAVA_TOOL_OPTIONS", "TZ");

    /**
     * Framework properties a service may get from the environment even where its own files do not
     * name them, each with the dependency (in the service's pom.xml) that makes it meaningful.
     */
    static final Map<String, String> FRAMEWORK_PROPERTIES =
            Map.ofEntries(
                    Map.entry("quarkus.http.port", "quarkus-"),
                    Map.entry("quarkus.profile", "quarkus-"),
                    Map.entry("quarkus.log.level", "quarkus-"),
                    Map.entry("quarkus.datasource.jdbc.url", "quarkus-jdbc-"),
                    Map.entry("quarkus.datasource.username", "quarkus-jdbc-"),
                    Map.entry("quarkus.datasource.password", "quarkus-jdbc-"),
                    Map.entry("quarkus.kafka-streams.bootstrap-servers", "quarkus-kafka-streams"),
                    Map.entry("quarkus.kafka-streams.application-id", "quarkus-kafka-streams"),
                    Map.entry("quarkus.kafka-streams.application-server", "quarkus-kafka-streams"),
                    Map.entry(
                            "kafka.bootstrap.servers",
                            "quarkus-kafka-client|quarkus-messaging-kafka"),
                    Map.entry("mp.jwt.verify.publickey.location", "quarkus-smallrye-jwt"),
                    Map.entry("mp.jwt.verify.issuer", "quarkus-smallrye-jwt"));

    static Path root;
    static Map<String, Object> compose;
    static Map<String, Map<String, Object>> services;
    static Map<String, Service> platform;

    @BeforeAll
    static void load() throws IOException {
        root = repositoryRoot();
        Path file = root.resolve("docker-compose.yml");
        if (!Files.isRegularFile(file)) {
            fail("docker-compose.yml is missing at the repository root " + root);
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            compose = map(new Yaml(new SafeConstructor(options)).load(r), "docker-compose.yml");
        }
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services")
                .forEach((name, body) -> services.put(name, map(body, name)));
        platform = new LinkedHashMap<>();
        for (String s : SERVICES) {
            platform.put(s, Service.load(root.resolve(s)));
        }
    }

    // ---- the services and their images
    // --------------------------------------------------------------------

    @Test
    void everyServiceOfThePlatformIsInTheComposeFile() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            if (!services.containsKey(s)) {
                problems.add(
                        "service '"
                                + s
                                + "' is missing from docker-compose.yml (services: "
                                + services.keySet()
                                + ")");
            }
        }
        if (brokers().isEmpty()) {
            problems.add(
                    "no Kafka broker: no service runs an apache/kafka image with a health check");
        }
        if (services.values().stream().noneMatch(b -> image(b).startsWith("postgres:"))) {
            problems.add("no PostgreSQL: no service runs a postgres:<version> image");
        }
        report("services", problems);
    }

    @Test
    void eachServiceBuildsFromItsDockerfile() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body == null) {
                continue;
            }
            if (!(body.get("build") instanceof Map<?, ?> build)) {
                problems.add(
                        s
                                + ": no build section (expected build.context ./"
                                + s
                                + " and build.dockerfile src/main/docker/Dockerfile.jvm)");
                continue;
            }
            Path context =
                    root.resolve(interpolate(String.valueOf(build.get("context")))).normalize();
            Object df = build.get("dockerfile");
            Path dockerfile =
                    context.resolve(df == null ? "Dockerfile" : interpolate(df.toString()))
                            .normalize();
            Path expected = root.resolve(s).resolve("src/main/docker/Dockerfile.jvm");
            if (!context.equals(root.resolve(s))) {
                problems.add(
                        s
                                + ": build context is "
                                + root.relativize(context)
                                + ", expected "
                                + s
                                + " (the Dockerfile copies target/quarkus-app/ from the module)");
            }
            if (!Files.isRegularFile(dockerfile)) {
                problems.add(
                        s
                                + ": build.dockerfile "
                                + root.relativize(dockerfile)
                                + " does not exist");
            } else if (!dockerfile.equals(expected)) {
                problems.add(
                        s
                                + ": builds from "
                                + root.relativize(dockerfile)
                                + ", expected "
                                + root.relativize(expected));
            }
        }
        report("builds", problems);
    }

    @Test
    void dockerfilesCopyTheFastJarExposeThePortAndCheckHealth() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            Service svc = platform.get(s);
            if (svc.dockerfile == null) {
                problems.add(s + ": " + s + "/src/main/docker/Dockerfile.jvm does not exist");
                continue;
            }
            Dockerfile d = svc.dockerfile;
            String where = s + "/src/main/docker/Dockerfile.jvm";
            List<String> from = d.args("FROM");
            if (from.isEmpty()) {
                problems.add(where + ": no FROM");
            } else {
                String base = from.get(from.size() - 1).split("\\s+")[0];
                if (!(base.startsWith("eclipse-temurin:17")
                        || base.matches("(ubi\\d*/)?openjdk-17(-runtime)?(:.*)?"))) {
                    problems.add(
                            where
                                    + ": base image "
                                    + base
                                    + " is not a Java 17 JRE (eclipse-temurin:17-jre or a UBI openjdk-17 runtime)");
                }
                if (hasRegistryHost(base)) {
                    problems.add(
                            where
                                    + ": FROM "
                                    + base
                                    + " names a container registry host; write the image name only");
                }
            }
            Set<String> copied = new LinkedHashSet<>();
            for (String copy : d.args("COPY")) {
                List<String> words = new ArrayList<>(List.of(copy.trim().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                if (words.size() >= 2) {
                    words.subList(0, words.size() - 1)
                            .forEach(
                                    w ->
                                            copied.add(
                                                    w.endsWith("/") || w.contains("*")
                                                            ? w
                                                            : w + "/"));
                }
            }
            for (String path : FAST_JAR) {
                if (!copied.contains(path)) {
                    problems.add(
                            where
                                    + ": does not COPY "
                                    + path
                                    + " (the Quarkus fast-jar layout; it copies "
                                    + copied
                                    + ")");
                }
            }
            String run =
                    String.join(" ", d.args("ENTRYPOINT")) + " " + String.join(" ", d.args("CMD"));
            if (!run.contains("quarkus-run.jar")) {
                problems.add(
                        where
                                + ": ENTRYPOINT/CMD does not run quarkus-run.jar ("
                                + run.trim()
                                + ")");
            }
            int port = svc.imagePort();
            Set<Integer> exposed =
                    d.args("EXPOSE").stream()
                            .flatMap(a -> Stream.of(a.trim().split("\\s+")))
                            .map(p -> Integer.parseInt(p.replaceAll("/.*", "")))
                            .collect(Collectors.toCollection(TreeSet::new));
            if (!exposed.contains(port)) {
                problems.add(
                        where
                                + ": EXPOSE "
                                + exposed
                                + " but the service listens on "
                                + port
                                + " ("
                                + svc.portSource()
                                + ")");
            }
            List<String> hc = d.args("HEALTHCHECK");
            if (hc.isEmpty() || hc.get(0).trim().equalsIgnoreCase("NONE")) {
                problems.add(where + ": no HEALTHCHECK");
            } else {
                problems.addAll(checkHealthUrl(where + ": HEALTHCHECK", hc.get(0), port, svc));
            }
        }
        report("Dockerfiles", problems);
    }

    @Test
    void imagesNameNoRegistryHost() {
        List<String> problems = new ArrayList<>();
        services.forEach(
                (name, body) -> {
                    String image = image(body);
                    if (!image.isEmpty() && hasRegistryHost(image)) {
                        problems.add(
                                name
                                        + ": image "
                                        + image
                                        + " names a container registry host; write the image name only");
                    }
                });
        report("image names", problems);
    }

    @Test
    void serviceImagesStartFromTheSharedJvmBase() {
        List<String> problems = new ArrayList<>();
        Path basePath = root.resolve(JVM_BASE);
        if (!Files.isRegularFile(basePath)) {
            report("JVM base image", List.of(JVM_BASE + " does not exist"));
        }
        Dockerfile base = Dockerfile.parse(read(basePath));
        String baseFrom = base.baseImage();
        if (!baseFrom.startsWith("eclipse-temurin:17")) {
            problems.add(
                    JVM_BASE
                            + ": FROM "
                            + baseFrom
                            + " is not a Java 17 JRE (eclipse-temurin:17-jre)");
        }
        String user = base.lastUser();
        if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:")) {
            problems.add(
                    JVM_BASE
                            + ": runs as "
                            + (user == null ? "root (no USER)" : user)
                            + "; the services run as a non-root user");
        }
        if (!String.join(" ", base.args("ENTRYPOINT")).contains("/deployments/quarkus-run.jar")) {
            problems.add(
                    JVM_BASE
                            + ": the ENTRYPOINT does not run /deployments/quarkus-run.jar "
                            + base.args("ENTRYPOINT"));
        }
        // the compose service that builds it
        String baseService = null;
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            if (basePath.equals(builtDockerfile(e.getValue()))) {
                baseService = e.getKey();
            }
        }
        String baseImage = null;
        if (baseService == null) {
            problems.add("no service of docker-compose.yml builds " + JVM_BASE);
        } else {
            Map<String, Object> body = services.get(baseService);
            baseImage = image(body);
            if (!baseImage.startsWith("eagle/jvm-base:")) {
                problems.add(
                        baseService
                                + ": image "
                                + baseImage
                                + ", expected eagle/jvm-base:<version>");
            }
            Object deploy = body.get("deploy");
            Object replicas = deploy instanceof Map<?, ?> d ? d.get("replicas") : null;
            if (!"0".equals(String.valueOf(replicas))) {
                problems.add(
                        baseService
                                + ": builds the base image only, so it must run no container (deploy.replicas: 0)");
            }
        }
        for (String s : SERVICES) {
            Service svc = platform.get(s);
            String where = s + "/src/main/docker/Dockerfile.jvm";
            if (svc.ownDockerfile == null) {
                continue; // reported by dockerfilesCopyTheFastJarExposeThePortAndCheckHealth
            }
            List<String> from = svc.ownDockerfile.args("FROM");
            String fromText = from.isEmpty() ? "" : from.get(from.size() - 1).split("\\s+")[0];
            Matcher arg = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(fromText);
            if (!arg.matches()) {
                problems.add(
                        where
                                + ": FROM "
                                + fromText
                                + "; expected FROM ${ARG} with the ARG's default naming the"
                                + " JVM base image (so that docker-compose.yml can hand over the image it builds)");
                continue;
            }
            String argName = arg.group(1);
            String fallback = svc.ownDockerfile.argDefaults().get(argName);
            if (fallback == null || !fallback.startsWith("eagle/jvm-base:")) {
                problems.add(
                        where
                                + ": ARG "
                                + argName
                                + " has the default "
                                + fallback
                                + ", expected eagle/jvm-base:<version>");
            } else if (baseImage != null && !fallback.equals(baseImage)) {
                problems.add(
                        where
                                + ": ARG "
                                + argName
                                + " defaults to "
                                + fallback
                                + " but docker-compose.yml tags the"
                                + " base image "
                                + baseImage);
            }
            if (svc.ownDockerfile.lastUser() != null) {
                problems.add(
                        where
                                + ": sets USER "
                                + svc.ownDockerfile.lastUser()
                                + "; the base image's user applies");
            }
            Map<String, Object> body = services.get(s);
            if (body == null
                    || !(body.get("build") instanceof Map<?, ?> build)
                    || baseService == null) {
                continue;
            }
            Object given = build.get("args") instanceof Map<?, ?> a ? a.get(argName) : null;
            Object contexts = build.get("additional_contexts");
            Object context =
                    given != null && contexts instanceof Map<?, ?> c
                            ? c.get(String.valueOf(given))
                            : null;
            if (given == null) {
                problems.add(
                        s
                                + ": build.args does not set "
                                + argName
                                + " (the Dockerfile's base image)");
            } else if (!("service:" + baseService).equals(String.valueOf(context))) {
                problems.add(
                        s
                                + ": build.args "
                                + argName
                                + "="
                                + given
                                + " but build.additional_contexts."
                                + given
                                + " is "
                                + context
                                + ", expected service:"
                                + baseService
                                + " (the image compose builds first)");
            }
        }
        report("JVM base image", problems);
    }

    @Test
    void demoImageRunsTheEmbeddedDemo() {
        List<String> problems = new ArrayList<>();
        Path demoPath = root.resolve(DEMO_IMAGE);
        if (!Files.isRegularFile(demoPath)) {
            report("demo image", List.of(DEMO_IMAGE + " does not exist"));
        }
        Dockerfile d = Dockerfile.parse(read(demoPath));
        String run = String.join(" ", d.args("ENTRYPOINT")) + " " + String.join(" ", d.args("CMD"));
        if (!(run.contains("eagle\", \"demo")
                || run.contains("eagle demo")
                || run.contains("scripts/demo.sh"))) {
            problems.add(
                    DEMO_IMAGE + ": ENTRYPOINT/CMD does not run ./eagle demo (" + run.trim() + ")");
        }
        String user = d.lastUser();
        if (user == null || user.equals("root") || user.equals("0") || user.startsWith("0:")) {
            problems.add(
                    DEMO_IMAGE
                            + ": runs as "
                            + (user == null ? "root (no USER)" : user)
                            + "; the embedded PostgreSQL refuses to run as root");
        }
        String build = String.join(" ", d.args("RUN"));
        Matcher pl = Pattern.compile("mvn\\s.*-pl\\s+(\\S+).*\\spackage\\b").matcher(build);
        if (!pl.find()) {
            problems.add(
                    DEMO_IMAGE + ": no RUN mvn -pl ... package builds the demo into the image");
        } else {
            List<String> built = List.of(pl.group(1).split(","));
            for (String m : DEMO_MODULES) {
                if (!built.contains(m)) {
                    problems.add(
                            DEMO_IMAGE
                                    + ": the image's build leaves out "
                                    + m
                                    + ", which scripts/demo.sh runs");
                }
            }
        }
        Set<Integer> exposed =
                d.args("EXPOSE").stream()
                        .flatMap(a -> Stream.of(a.trim().split("\\s+")))
                        .map(p -> Integer.parseInt(p.replaceAll("/.*", "")))
                        .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Integer> demoPorts = demoScriptPorts();
        if (demoPorts.isEmpty()) {
            problems.add("scripts/demo.sh has no PORT table");
        }
        demoPorts.forEach(
                (s, port) -> {
                    if (!exposed.contains(port)) {
                        problems.add(
                                DEMO_IMAGE
                                        + ": does not EXPOSE "
                                        + port
                                        + " ("
                                        + s
                                        + " in scripts/demo.sh)");
                    }
                });
        Path ignore = root.resolve(DEMO_IMAGE + ".dockerignore");
        if (!Files.isRegularFile(ignore)) {
            problems.add(
                    DEMO_IMAGE
                            + ".dockerignore is missing: the repository root as context would send build outputs and state");
        } else {
            List<String> patterns = read(ignore).lines().map(String::strip).toList();
            for (String needed : List.of("**/target/", ".eagle/")) {
                if (!patterns.contains(needed)) {
                    problems.add(DEMO_IMAGE + ".dockerignore does not leave out " + needed);
                }
            }
        }
        String demoService = null;
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            if (demoPath.equals(builtDockerfile(e.getValue()))) {
                demoService = e.getKey();
            }
        }
        if (demoService == null) {
            problems.add("no service of docker-compose.yml builds " + DEMO_IMAGE);
        } else {
            Map<String, Object> body = services.get(demoService);
            Object context = body.get("build") instanceof Map<?, ?> b ? b.get("context") : null;
            if (!root.equals(root.resolve(interpolate(String.valueOf(context))).normalize())) {
                problems.add(
                        demoService
                                + ": build context "
                                + context
                                + ", expected the repository root (.)");
            }
            if (list(body.get("profiles")).isEmpty()) {
                problems.add(
                        demoService
                                + ": has no profile, so a plain `docker compose up` would start it beside the"
                                + " platform's services, on the same ports");
            }
            Set<Integer> published = new TreeSet<>();
            for (Object p : list(body.get("ports"))) {
                String spec = interpolate(String.valueOf(p)).replaceAll("/.*", "");
                String container = spec.substring(spec.lastIndexOf(':') + 1);
                String[] range = container.split("-");
                int first = Integer.parseInt(range[0]);
                int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
                for (int port = first; port <= last; port++) {
                    published.add(port);
                }
            }
            String service = demoService;
            demoPorts.forEach(
                    (s, port) -> {
                        if (!published.contains(port)) {
                            problems.add(
                                    service
                                            + ": does not publish "
                                            + port
                                            + " ("
                                            + s
                                            + " in scripts/demo.sh)");
                        }
                    });
        }
        report("demo image", problems);
    }

    // ---- ports and health checks in the compose file
    // ----------------------------------------------------------

    @Test
    void composePortsMatchTheServicesPorts() {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> demoPorts = demoScriptPorts();
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body == null) {
                continue;
            }
            int port = containerPort(s);
            List<Integer> published = new ArrayList<>();
            for (Object p : list(body.get("ports"))) {
                String spec = interpolate(String.valueOf(p)).replaceAll("/.*", "");
                published.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1)));
            }
            if (!published.contains(port)) {
                problems.add(
                        s
                                + ": ports "
                                + list(body.get("ports"))
                                + " do not publish the container port "
                                + port
                                + " ("
                                + platform.get(s).portSource()
                                + ")");
            }
            Integer demo = demoPorts.get(s);
            if (demo != null && demo != port) {
                problems.add(
                        s
                                + ": listens on "
                                + port
                                + " in its container, but scripts/demo.sh and the docs run it on "
                                + demo);
            }
        }
        report("ports", problems);
    }

    @Test
    void composeHealthChecksHitTheHealthEndpoints() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body == null) {
                continue;
            }
            Object hc = body.get("healthcheck");
            if (!(hc instanceof Map<?, ?> m)
                    || m.get("test") == null
                    || Boolean.TRUE.equals(m.get("disable"))) {
                problems.add(s + ": no healthcheck in docker-compose.yml");
                continue;
            }
            Object test = m.get("test");
            String command =
                    test instanceof List<?> l
                            ? l.stream().map(String::valueOf).collect(Collectors.joining(" "))
                            : String.valueOf(test);
            problems.addAll(
                    checkHealthUrl(
                            s + ": compose healthcheck",
                            interpolate(command),
                            containerPort(s),
                            platform.get(s)));
        }
        for (String infra : brokersAndDatabases()) {
            Object hc = services.get(infra).get("healthcheck");
            if (!(hc instanceof Map<?, ?> m) || m.get("test") == null) {
                problems.add(
                        infra
                                + ": no healthcheck (the services wait for it with condition service_healthy)");
            }
        }
        report("health checks", problems);
    }

    // ---- configuration
    // -----------------------------------------------------------------------------------------

    @Test
    void everyEnvironmentVariableIsAPropertyTheServiceReads() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body == null) {
                continue;
            }
            Service svc = platform.get(s);
            for (String name : environment(body).keySet()) {
                if (!svc.reads(name)) {
                    problems.add(
                            s
                                    + ": environment variable "
                                    + name
                                    + " maps to no property the service reads"
                                    + " (not in "
                                    + s
                                    + "/src/main/resources/application.properties, no @ConfigProperty/"
                                    + "@ConfigMapping/config lookup in "
                                    + s
                                    + "/src/main/java, not a known framework property "
                                    + "of its dependencies)");
                }
            }
        }
        report("environment", problems);
    }

    @Test
    void requiredSettingsAreGiven() {
        Map<String, List<String>> required = new LinkedHashMap<>();
        required.put(
                "registry",
                List.of(
                        "quarkus.datasource.jdbc.url",
                        "quarkus.datasource.username",
                        "quarkus.datasource.password",
                        "kafka.bootstrap.servers",
                        "mp.jwt.verify.publickey.location",
                        "mp.jwt.verify.issuer"));
        required.put(
                "ingest", List.of("quarkus.kafka-streams.bootstrap-servers", "eagle.blobs.dir"));
        required.put(
                "trainer",
                List.of(
                        "kafka.bootstrap.servers",
                        "eagle.trainer.registry.url",
                        "eagle.trainer.registry.token",
                        "eagle.trainer.blob-root",
                        "eagle.trainer.state-dir"));
        required.put(
                "evaluator",
                List.of(
                        "kafka.bootstrap.servers",
                        "eagle.evaluator.registry.url",
                        "eagle.evaluator.registry.token",
                        "eagle.evaluator.work-dir",
                        "eagle.evaluator.public-url"));
        required.put(
                "gateway",
                List.of(
                        "kafka.bootstrap.servers",
                        "eagle.gateway.registry.url",
                        "eagle.gateway.registry.token",
                        "eagle.gateway.cache-dir"));
        List<String> problems = new ArrayList<>();
        required.forEach(
                (s, keys) -> {
                    Map<String, Object> body = services.get(s);
                    if (body == null) {
                        return;
                    }
                    Set<String> given = environment(body).keySet();
                    for (String key : keys) {
                        if (!given.contains(envName(key))) {
                            problems.add(
                                    s
                                            + ": "
                                            + key
                                            + " is not set (environment variable "
                                            + envName(key)
                                            + ")");
                        }
                    }
                    // a service whose properties need an environment variable with no default must
                    // get it
                    platform.get(s)
                            .requiredVariables
                            .forEach(
                                    (variable, key) -> {
                                        if (!given.contains(variable)
                                                && !given.contains(envName(key))) {
                                            problems.add(
                                                    s
                                                            + ": application.properties sets "
                                                            + key
                                                            + " from ${"
                                                            + variable
                                                            + "} (no default) but the compose file sets neither "
                                                            + variable
                                                            + " nor "
                                                            + envName(key));
                                        }
                                    });
                });
        report("required settings", problems);
    }

    @Test
    void servicesDependOnWhatTheyConnectTo() {
        List<String> problems = new ArrayList<>();
        Pattern hostPort = Pattern.compile("(?:^|[/,@\\s])([a-z][a-z0-9-]*):(\\d+)");
        for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
            String s = e.getKey();
            Map<String, String> depends = dependsOn(e.getValue());
            depends.forEach(
                    (target, condition) -> {
                        Map<String, Object> t = services.get(target);
                        if (t == null) {
                            problems.add(
                                    s
                                            + ": depends_on "
                                            + target
                                            + ", which is not a service of the compose file");
                            return;
                        }
                        boolean healthCheck =
                                t.get("healthcheck") instanceof Map<?, ?> m
                                        && m.get("test") != null;
                        boolean oneShot =
                                "no".equals(String.valueOf(t.get("restart"))) && !healthCheck;
                        if (healthCheck && !"service_healthy".equals(condition)) {
                            problems.add(
                                    s
                                            + ": depends_on "
                                            + target
                                            + " with condition "
                                            + condition
                                            + "; it has a health check, so wait for service_healthy");
                        } else if (oneShot && !"service_completed_successfully".equals(condition)) {
                            problems.add(
                                    s
                                            + ": depends_on the one-shot "
                                            + target
                                            + " with condition "
                                            + condition
                                            + "; expected service_completed_successfully");
                        } else if (!healthCheck && !oneShot) {
                            problems.add(
                                    s
                                            + ": depends_on "
                                            + target
                                            + ", which has no health check to wait for");
                        }
                    });
            for (Map.Entry<String, String> env : environment(e.getValue()).entrySet()) {
                Matcher m = hostPort.matcher(interpolate(env.getValue()));
                while (m.find()) {
                    String host = m.group(1);
                    int port = Integer.parseInt(m.group(2));
                    if (!services.containsKey(host)) {
                        continue;
                    }
                    if (!host.equals(s) && !depends.containsKey(host)) {
                        problems.add(
                                s
                                        + ": "
                                        + env.getKey()
                                        + " connects to "
                                        + host
                                        + ":"
                                        + port
                                        + " but "
                                        + s
                                        + " does not depend_on "
                                        + host);
                    }
                    if (platform.containsKey(host) && port != containerPort(host)) {
                        problems.add(
                                s
                                        + ": "
                                        + env.getKey()
                                        + " connects to "
                                        + host
                                        + ":"
                                        + port
                                        + " but "
                                        + host
                                        + " listens on "
                                        + containerPort(host));
                    }
                }
            }
        }
        String topics = topicService();
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body != null
                    && topics != null
                    && platform.get(s).usesKafka()
                    && !dependsOn(body).containsKey(topics)) {
                problems.add(
                        s
                                + ": uses Kafka but does not wait for the topics (depends_on "
                                + topics
                                + " with condition service_completed_successfully)");
            }
        }
        report("depends_on", problems);
    }

    @Test
    void volumesAreDeclaredAndHoldTheState() {
        List<String> problems = new ArrayList<>();
        Set<String> declared =
                compose.get("volumes") == null
                        ? Set.of()
                        : map(compose.get("volumes"), "volumes").keySet();
        Set<String> used = new TreeSet<>();
        Map<String, Map<String, String>> mounts = new HashMap<>(); // service -> target -> source
        services.forEach(
                (s, body) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    for (Object v : list(body.get("volumes"))) {
                        String source;
                        String target;
                        if (v instanceof Map<?, ?> long_) {
                            source = interpolate(String.valueOf(long_.get("source")));
                            target = interpolate(String.valueOf(long_.get("target")));
                        } else {
                            String[] parts = interpolate(String.valueOf(v)).split(":");
                            if (parts.length < 2) {
                                problems.add(
                                        s
                                                + ": volume "
                                                + v
                                                + " has no target (anonymous volumes lose their data)");
                                continue;
                            }
                            source = parts[0];
                            target = parts[1];
                        }
                        if (source.startsWith(".")
                                || source.startsWith("/")
                                || source.startsWith("~")) {
                            if (source.startsWith(".")
                                    && !Files.exists(root.resolve(source).normalize())) {
                                problems.add(
                                        s
                                                + ": bind mount source "
                                                + source
                                                + " does not exist in the repository");
                            }
                        } else {
                            used.add(source);
                            if (!declared.contains(source)) {
                                problems.add(
                                        s
                                                + ": volume "
                                                + source
                                                + " is not declared under the top-level volumes "
                                                + declared);
                            }
                        }
                        m.put(target, source);
                    }
                    mounts.put(s, m);
                });
        for (String v : declared) {
            if (!used.contains(v)) {
                problems.add("volume " + v + " is declared but no service mounts it");
            }
        }
        // every folder a service is told to use lies on a mount (else it is lost with the
        // container)
        for (String s : SERVICES) {
            Map<String, Object> body = services.get(s);
            if (body == null) {
                continue;
            }
            environment(body)
                    .forEach(
                            (name, value) -> {
                                if ((name.endsWith("_DIR") || name.endsWith("_ROOT"))
                                        && value.startsWith("/")
                                        && volumeHolding(mounts.get(s), value).isEmpty()) {
                                    problems.add(
                                            s
                                                    + ": "
                                                    + name
                                                    + "="
                                                    + value
                                                    + " is on no volume or bind mount of "
                                                    + s);
                                }
                            });
        }
        // the state that must survive a restart lies on a named volume
        Map<String, String> state = new LinkedHashMap<>();
        state.put("ingest", "eagle.blobs.dir");
        state.put("trainer", "eagle.trainer.state-dir");
        state.put("evaluator", "eagle.evaluator.work-dir");
        state.put("gateway", "eagle.gateway.cache-dir");
        Map<String, String> stateVolume = new HashMap<>();
        state.forEach(
                (s, key) -> {
                    Map<String, Object> body = services.get(s);
                    if (body == null) {
                        return;
                    }
                    String dir = environment(body).get(envName(key));
                    Optional<String> volume =
                            dir == null ? Optional.empty() : volumeHolding(mounts.get(s), dir);
                    if (volume.isEmpty() || !declared.contains(volume.get())) {
                        problems.add(
                                s
                                        + ": "
                                        + key
                                        + " ("
                                        + envName(key)
                                        + "="
                                        + dir
                                        + ") is not on a named volume");
                    } else {
                        stateVolume.put(s, volume.get());
                    }
                });
        Map<String, Object> trainer = services.get("trainer");
        if (trainer != null && stateVolume.containsKey("ingest")) {
            String blobRoot = environment(trainer).get(envName("eagle.trainer.blob-root"));
            Optional<String> v =
                    blobRoot == null
                            ? Optional.empty()
                            : volumeHolding(mounts.get("trainer"), blobRoot);
            String ingestDir = environment(services.get("ingest")).get(envName("eagle.blobs.dir"));
            if (v.isEmpty() || !v.get().equals(stateVolume.get("ingest"))) {
                problems.add(
                        "trainer: eagle.trainer.blob-root ("
                                + blobRoot
                                + ") is not on the volume ingest writes its blobs to ("
                                + stateVolume.get("ingest")
                                + "): the trainer would not find the image bytes");
            } else if (!mountRelative(mounts.get("trainer"), blobRoot)
                    .equals(mountRelative(mounts.get("ingest"), ingestDir))) {
                problems.add(
                        "trainer: eagle.trainer.blob-root "
                                + blobRoot
                                + " is another folder of volume "
                                + v.get()
                                + " than ingest's eagle.blobs.dir "
                                + ingestDir);
            }
        }
        for (String infra : brokersAndDatabases()) {
            boolean persistent =
                    mounts.getOrDefault(infra, Map.of()).values().stream()
                            .anyMatch(declared::contains);
            if (!persistent) {
                problems.add(infra + ": its data is on no named volume");
            }
        }
        report("volumes", problems);
    }

    // ---- Kafka
    // ------------------------------------------------------------------------------------------------

    @Test
    void kafkaImageMatchesTheKafkaClientsVersion() {
        String clients = AppInfoParser.getVersion();
        List<String> problems = new ArrayList<>();
        List<String> kafkaImages = new ArrayList<>();
        services.forEach(
                (s, body) -> {
                    String image = image(body);
                    if (image.contains("kafka") && !image.startsWith("eagle/")) {
                        kafkaImages.add(s);
                        if (!image.equals("apache/kafka:" + clients)) {
                            problems.add(
                                    s
                                            + ": image "
                                            + image
                                            + ", expected apache/kafka:"
                                            + clients
                                            + " (the kafka-clients version of the Quarkus BOM on this classpath)");
                        }
                    }
                });
        if (kafkaImages.isEmpty()) {
            problems.add("no service runs apache/kafka:" + clients);
        }
        report("Kafka image", problems);
    }

    @Test
    void topicsCreatedAreThePlatformsTopics() throws IllegalAccessException {
        List<String> problems = new ArrayList<>();
        String init = topicService();
        if (init == null) {
            report(
                    "topics",
                    List.of("no one-shot service creates the topics (kafka-topics.sh --create)"));
        }
        Map<String, Boolean> created = new TreeMap<>(); // topic -> compacted
        Pattern topic = Pattern.compile("--topic[ =]+(\\S+)");
        for (String line : commandText(services.get(init)).split("\n")) {
            Matcher m = topic.matcher(line);
            while (m.find()) {
                created.put(
                        m.group(1).replaceAll("[\"';]", ""),
                        line.contains("cleanup.policy=compact"));
            }
        }
        Set<String> contracts = new TreeSet<>();
        for (Field f : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())
                    && Modifier.isPublic(f.getModifiers())
                    && f.getType() == String.class) {
                contracts.add((String) f.get(null));
            }
        }
        for (String t : contracts) {
            if (!created.containsKey(t)) {
                problems.add(init + ": does not create " + t + " (eagle.contracts.Topics)");
            }
        }
        Map<String, Boolean> expected = new TreeMap<>(CreateTopics.TOPICS);
        if (!created.keySet().equals(expected.keySet())) {
            problems.add(
                    init
                            + ": creates "
                            + created.keySet()
                            + ", the platform's topics (demo's CreateTopics) are "
                            + expected.keySet());
        }
        expected.forEach(
                (t, compacted) -> {
                    if (created.containsKey(t) && created.get(t) != compacted) {
                        problems.add(
                                init
                                        + ": "
                                        + t
                                        + (compacted
                                                ? " must be compacted (cleanup.policy=compact)"
                                                : " must not be compacted"));
                    }
                });
        // every topic a service names in its configuration exists
        platform.forEach(
                (s, svc) ->
                        svc.topics()
                                .forEach(
                                        t -> {
                                            if (!created.containsKey(t)) {
                                                problems.add(
                                                        init
                                                                + ": does not create "
                                                                + t
                                                                + ", which "
                                                                + s
                                                                + "'s application.properties names");
                                            }
                                        }));
        report("topics", problems);
    }

    // ---- helpers
    // -------------------------------------------------------------------------------------------------

    static void report(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(
                    what
                            + ": "
                            + problems.size()
                            + " problem(s) in docker-compose.yml / the Dockerfiles:\n  - "
                            + String.join("\n  - ", problems));
        }
    }

    static List<String> checkHealthUrl(String where, String command, int port, Service svc) {
        List<String> problems = new ArrayList<>();
        Matcher m =
                Pattern.compile("https?://(localhost|127\\.0\\.0\\.1)(?::(\\d+))?(/[^\\s\"']*)")
                        .matcher(command);
        if (!m.find()) {
            problems.add(
                    where
                            + " has no http://localhost:<port>/q/health/... URL ("
                            + command.trim()
                            + ")");
            return problems;
        }
        int p = m.group(2) == null ? 80 : Integer.parseInt(m.group(2));
        String path = m.group(3);
        if (p != port) {
            problems.add(where + " calls port " + p + " but the service listens on " + port);
        }
        if (!HEALTH_PATHS.contains(path)) {
            problems.add(
                    where
                            + " calls "
                            + path
                            + ", which is not a health path "
                            + new TreeSet<>(HEALTH_PATHS));
        }
        if (!svc.pom.contains("quarkus-smallrye-health")) {
            problems.add(
                    where
                            + " calls "
                            + path
                            + " but the service has no quarkus-smallrye-health dependency");
        }
        for (String key :
                List.of(
                        "quarkus.http.non-application-root-path",
                        "quarkus.smallrye-health.root-path",
                        "quarkus.smallrye-health.readiness-path",
                        "quarkus.http.root-path")) {
            if (svc.properties.containsKey(key)) {
                problems.add(
                        where
                                + ": application.properties sets "
                                + key
                                + "="
                                + svc.properties.get(key)
                                + ", so the health paths are not the default /q/health ones");
            }
        }
        return problems;
    }

    static int containerPort(String service) {
        Map<String, Object> body = services.get(service);
        String override = body == null ? null : environment(body).get("QUARKUS_HTTP_PORT");
        return override != null ? Integer.parseInt(override) : platform.get(service).imagePort();
    }

    /** Services of the compose file that run the Kafka broker or PostgreSQL. */
    static List<String> brokersAndDatabases() {
        List<String> out = new ArrayList<>(brokers());
        services.forEach(
                (s, body) -> {
                    if (image(body).startsWith("postgres:")) {
                        out.add(s);
                    }
                });
        return out;
    }

    static List<String> brokers() {
        List<String> out = new ArrayList<>();
        services.forEach(
                (s, body) -> {
                    if (image(body).startsWith("apache/kafka")
                            && !commandText(body).contains("kafka-topics.sh")) {
                        out.add(s);
                    }
                });
        return out;
    }

    /** The one-shot service that runs {@code kafka-topics.sh --create}, or null. */
    static String topicService() {
        return services.entrySet().stream()
                .filter(
                        e ->
                                commandText(e.getValue()).contains("kafka-topics.sh")
                                        && commandText(e.getValue()).contains("--create"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(null);
    }

    static String commandText(Map<String, Object> body) {
        if (body == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String k : List.of("entrypoint", "command")) {
            Object v = body.get(k);
            if (v instanceof List<?> l) {
                l.forEach(x -> b.append(x).append('\n'));
            } else if (v != null) {
                b.append(v).append('\n');
            }
        }
        return interpolate(b.toString());
    }

    static Map<String, String> dependsOn(Map<String, Object> body) {
        Map<String, String> out = new LinkedHashMap<>();
        Object d = body.get("depends_on");
        if (d instanceof List<?> l) {
            l.forEach(x -> out.put(String.valueOf(x), "service_started"));
        } else if (d instanceof Map<?, ?> m) {
            m.forEach(
                    (k, v) ->
                            out.put(
                                    String.valueOf(k),
                                    v instanceof Map<?, ?> c && c.get("condition") != null
                                            ? String.valueOf(c.get("condition"))
                                            : "service_started"));
        }
        return out;
    }

    /** The service's environment, values interpolated with their defaults. */
    static Map<String, String> environment(Map<String, Object> body) {
        Map<String, String> out = new LinkedHashMap<>();
        Object env = body.get("environment");
        if (env instanceof Map<?, ?> m) {
            m.forEach(
                    (k, v) ->
                            out.put(
                                    String.valueOf(k),
                                    v == null ? "" : interpolate(String.valueOf(v))));
        } else if (env instanceof List<?> l) {
            for (Object o : l) {
                String s = String.valueOf(o);
                int eq = s.indexOf('=');
                out.put(
                        eq < 0 ? s : s.substring(0, eq),
                        eq < 0 ? "" : interpolate(s.substring(eq + 1)));
            }
        }
        return out;
    }

    /**
     * Compose's variable substitution with every variable unset: {@code ${X:-default}} gives the
     * default.
     */
    static String interpolate(String s) {
        String t = s.replace("$$", "\u0000");
        Matcher m =
                Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?}").matcher(t);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String op = m.group(2);
            String value = op != null && op.endsWith("-") ? m.group(3) : "";
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString().replace("\u0000", "$");
    }

    /** The Dockerfile a compose service builds from (context + dockerfile, normalised), or null. */
    static Path builtDockerfile(Map<String, Object> body) {
        if (!(body.get("build") instanceof Map<?, ?> build)) {
            return null;
        }
        Path context = root.resolve(interpolate(String.valueOf(build.get("context")))).normalize();
        Object df = build.get("dockerfile");
        return context.resolve(df == null ? "Dockerfile" : interpolate(df.toString())).normalize();
    }

    static String image(Map<String, Object> body) {
        return body.get("image") == null ? "" : interpolate(String.valueOf(body.get("image")));
    }

    /**
     * {@code host.example/x/y:tag} or {@code host:5000/x}: the first segment names a registry host.
     */
    static boolean hasRegistryHost(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost");
    }

    static Optional<String> volumeHolding(Map<String, String> mounts, String path) {
        return mounts == null
                ? Optional.empty()
                : mounts.entrySet().stream()
                        .filter(
                                e ->
                                        path.equals(e.getKey())
                                                || path.startsWith(
                                                        e.getKey().endsWith("/")
                                                                ? e.getKey()
                                                                : e.getKey() + "/"))
                        .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                        .map(Map.Entry::getValue);
    }

    static String mountRelative(Map<String, String> mounts, String path) {
        String target =
                mounts.keySet().stream()
                        .filter(t -> path.equals(t) || path.startsWith(t + "/"))
                        .max((a, b) -> Integer.compare(a.length(), b.length()))
                        .orElse("");
        return path.substring(target.length());
    }

    /** The PORT table of scripts/demo.sh ({@code declare -A PORT=([registry]=8081 ...)}). */
    static Map<String, Integer> demoScriptPorts() {
        Map<String, Integer> out = new HashMap<>();
        Path script = root.resolve("scripts/demo.sh");
        if (!Files.isRegularFile(script)) {
            return out;
        }
        Matcher table = Pattern.compile("declare -A PORT=\\(([^)]*)\\)").matcher(read(script));
        if (table.find()) {
            Matcher e = Pattern.compile("\\[(\\w+)]=(\\d+)").matcher(table.group(1));
            while (e.find()) {
                out.put(e.group(1), Integer.parseInt(e.group(2)));
            }
        }
        return out;
    }

    /** How Quarkus (SmallRye Config) spells a property as an environment variable. */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String what) {
        if (!(o instanceof Map<?, ?>)) {
            fail(what + " in docker-compose.yml is not a mapping: " + o);
        }
        return (Map<String, Object>) o;
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("contracts"))
                    && Files.isDirectory(p.resolve("registry"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException(
                "the repository root (with contracts/ and registry/) is not above "
                        + Path.of("").toAbsolutePath());
    }

    /** A Dockerfile's instructions, continuation lines joined, comments dropped. */
    record Dockerfile(List<String[]> instructions) {

        static Dockerfile parse(String text) {
            List<String[]> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                String t = line.strip();
                if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (t.endsWith("\\")) {
                    current.append(t, 0, t.length() - 1).append(' ');
                    continue;
                }
                current.append(t);
                String full = current.toString().strip();
                current.setLength(0);
                if (full.isEmpty()) {
                    continue;
                }
                int sp = full.indexOf(' ');
                out.add(
                        new String[] {
                            full.substring(0, sp < 0 ? full.length() : sp).toUpperCase(Locale.ROOT),
                            sp < 0 ? "" : full.substring(sp + 1).strip()
                        });
            }
            return new Dockerfile(out);
        }

        List<String> args(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }

        /** The image of the last FROM, without a stage name, ARGs expanded with their defaults. */
        String baseImage() {
            List<String> from = args("FROM");
            if (from.isEmpty()) {
                return "";
            }
            String image = from.get(from.size() - 1).split("\\s+")[0];
            Map<String, String> defaults = argDefaults();
            Matcher m = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?").matcher(image);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(
                        b, Matcher.quoteReplacement(defaults.getOrDefault(m.group(1), "")));
            }
            m.appendTail(b);
            return b.toString();
        }

        /** ARG NAME=default, for every ARG with a default. */
        Map<String, String> argDefaults() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String a : args("ARG")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    out.put(
                            a.substring(0, eq).strip(),
                            a.substring(eq + 1).strip().replaceAll("^\"|\"$", ""));
                }
            }
            return out;
        }

        /** The user of the last USER instruction, or null when there is none. */
        String lastUser() {
            List<String> users = args("USER");
            return users.isEmpty() ? null : users.get(users.size() - 1).strip();
        }

        /**
         * The instructions in effect when this Dockerfile starts from the platform's JVM base
         * image: the base's first, then this file's after its FROM (what the built image inherits:
         * ENTRYPOINT, ENV, USER, ...). Any other Dockerfile is returned as it is.
         */
        Dockerfile onJvmBase(Path repositoryRoot) {
            Path base = repositoryRoot.resolve(JVM_BASE);
            if (!baseImage().startsWith("eagle/jvm-base:") || !Files.isRegularFile(base)) {
                return this;
            }
            List<String[]> out = new ArrayList<>(parse(read(base)).instructions());
            boolean afterFrom = false;
            for (String[] i : instructions) {
                if (afterFrom) {
                    out.add(i);
                }
                afterFrom |= i[0].equals("FROM");
            }
            return new Dockerfile(out);
        }

        /** ENV K=V [K2="V 2" ...] or ENV K V. */
        Map<String, String> env() {
            Map<String, String> out = new LinkedHashMap<>();
            for (String a : args("ENV")) {
                Matcher m =
                        Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)").matcher(a);
                boolean any = false;
                while (m.find()) {
                    out.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                    any = true;
                }
                if (!any) {
                    String[] kv = a.split("\\s+", 2);
                    out.put(kv[0], kv.length > 1 ? kv[1] : "");
                }
            }
            return out;
        }
    }

    /** What a service module reads and offers: its properties, sources, pom and Dockerfile. */
    static final class Service {
        final String name;

        /** application.properties, profile prefixes kept. */
        final Map<String, String> rawProperties = new LinkedHashMap<>();

        /** application.properties without profile-specific keys. */
        final Map<String, String> properties = new LinkedHashMap<>();

        /**
         * Property names read anywhere (any profile, sources, config mappings' prefixes are
         * separate).
         */
        final Set<String> propertyNames = new TreeSet<>();

        /**
         * {@code ${NAME}} and {@code ${NAME:default}} in the properties: environment variables read
         * by name.
         */
        final Set<String> variables = new TreeSet<>();

        /**
         * {@code ${NAME}} with no default in a property of the prod profile: NAME -> that property.
         */
        final Map<String, String> requiredVariables = new TreeMap<>();

        /**
         * Config mapping prefix -> the kebab-case names of the methods in its interface (and nested
         * ones).
         */
        final Map<String, Set<String>> mappings = new LinkedHashMap<>();

        final String pom;

        /** The module's own Dockerfile.jvm, or null when it has none. */
        final Dockerfile ownDockerfile;

        /** What the image gets: the JVM base image's instructions and then the module's own. */
        final Dockerfile dockerfile;

        private Service(String name, String pom, Dockerfile ownDockerfile, Path repositoryRoot) {
            this.name = name;
            this.pom = pom;
            this.ownDockerfile = ownDockerfile;
            this.dockerfile =
                    ownDockerfile == null ? null : ownDockerfile.onJvmBase(repositoryRoot);
        }

        static Service load(Path module) throws IOException {
            Path df = module.resolve("src/main/docker/Dockerfile.jvm");
            Service s =
                    new Service(
                            module.getFileName().toString(),
                            read(module.resolve("pom.xml")),
                            Files.isRegularFile(df) ? Dockerfile.parse(read(df)) : null,
                            module.getParent());
            Path props = module.resolve("src/main/resources/application.properties");
            if (Files.isRegularFile(props)) {
                Properties p = new Properties();
                p.load(new StringReader(read(props)));
                for (String key : p.stringPropertyNames()) {
                    String value = p.getProperty(key);
                    s.rawProperties.put(key, value);
                    String bare = key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
                    s.propertyNames.add(bare);
                    if (!key.startsWith("%")) {
                        s.properties.put(key, value);
                    }
                    Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}").matcher(value);
                    while (m.find()) {
                        s.variables.add(m.group(1));
                        if (m.group(2) == null && !key.startsWith("%")) {
                            String profiled = "%prod." + key;
                            if (!p.containsKey(profiled)) {
                                s.requiredVariables.put(m.group(1), key);
                            }
                        }
                    }
                }
            }
            Path java = module.resolve("src/main/java");
            if (Files.isDirectory(java)) {
                // type name -> source, so a mapping's groups in files of their own are followed
                Map<String, String> sources = new LinkedHashMap<>();
                try (Stream<Path> files = Files.walk(java)) {
                    for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                        String name = f.getFileName().toString();
                        sources.put(name.substring(0, name.length() - ".java".length()), read(f));
                    }
                }
                sources.values().forEach(source -> s.scan(source, sources));
            }
            return s;
        }

        private static final Pattern CONFIG_PROPERTY =
                Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
        private static final Pattern CONFIG_MAPPING =
                Pattern.compile("@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"");
        private static final Pattern KEY_LITERAL =
                Pattern.compile("\"([a-z][a-z0-9]*(?:[.-][a-z0-9]+)+\\.?)\"");
        private static final Pattern METHOD =
                Pattern.compile("(?:^|\\s)(?:[\\w<>,.?\\[\\] ]+)\\s+(\\w+)\\(\\)\\s*;");
        private static final Pattern NESTED =
                Pattern.compile("\\b([A-Z]\\w*)\\s+(\\w+)\\(\\)\\s*;");

        private void scan(String source, Map<String, String> sources) {
            Matcher m = CONFIG_PROPERTY.matcher(source);
            while (m.find()) {
                propertyNames.add(m.group(1));
            }
            // keys read through Config.getValue/getOptionalValue or a key lookup, possibly with a
            // prefix constant
            List<String> literals = new ArrayList<>();
            List<String> prefixes = new ArrayList<>();
            m = KEY_LITERAL.matcher(source);
            while (m.find()) {
                (m.group(1).endsWith(".") ? prefixes : literals).add(m.group(1));
            }
            if (source.contains("getOptionalValue(")
                    || source.contains("getValue(")
                    || !prefixes.isEmpty()) {
                propertyNames.addAll(literals);
                for (String prefix : prefixes) {
                    literals.forEach(l -> propertyNames.add(prefix + l));
                }
            }
            m = CONFIG_MAPPING.matcher(source);
            if (m.find()) {
                Set<String> names = mappings.computeIfAbsent(m.group(1), k -> new TreeSet<>());
                addMappingNames(source, sources, names, new HashSet<>());
            }
        }

        /**
         * The kebab-case names of a mapping interface's methods, its nested groups' and those of
         * groups declared in other files of the module ({@code RoundSettings round();}).
         */
        private static void addMappingNames(
                String source, Map<String, String> sources, Set<String> names, Set<String> seen) {
            Matcher methods = METHOD.matcher(source);
            while (methods.find()) {
                names.add(kebab(methods.group(1)));
            }
            Matcher nested = NESTED.matcher(source);
            while (nested.find()) {
                names.add(kebab(nested.group(2)));
                String group = sources.get(nested.group(1));
                if (group != null && seen.add(nested.group(1))) {
                    addMappingNames(group, sources, names, seen);
                }
            }
        }

        /** Whether an environment variable of this name sets a property the service reads. */
        boolean reads(String variable) {
            if (CONTAINER_VARIABLES.contains(variable) || variables.contains(variable)) {
                return true;
            }
            boolean dotted =
                    !variable.equals(variable.toUpperCase(Locale.ROOT))
                            || variable.contains(".")
                            || variable.contains("-");
            Predicate<String> matches =
                    dotted ? variable::equals : p -> envName(p).equals(variable);
            if (propertyNames.stream().anyMatch(matches)) {
                return true;
            }
            for (Map.Entry<String, String> f : FRAMEWORK_PROPERTIES.entrySet()) {
                if (matches.test(f.getKey())
                        && Stream.of(f.getValue().split("\\|")).anyMatch(pom::contains)) {
                    return true;
                }
            }
            for (Map.Entry<String, Set<String>> mapping : mappings.entrySet()) {
                String prefix = envName(mapping.getKey()) + "_";
                if (!dotted && variable.startsWith(prefix)) {
                    Set<String> tokens =
                            mapping.getValue().stream()
                                    .map(DeploymentFilesTest::envName)
                                    .collect(Collectors.toSet());
                    if (splits(variable.substring(prefix.length()).split("_"), 0, tokens)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /**
         * Whether segments[from..] is a sequence of mapping names (each one or more '_'-joined
         * segments).
         */
        private static boolean splits(String[] segments, int from, Set<String> tokens) {
            if (from == segments.length) {
                return true;
            }
            StringBuilder b = new StringBuilder();
            for (int i = from; i < segments.length; i++) {
                if (i > from) {
                    b.append('_');
                }
                b.append(segments[i]);
                if (tokens.contains(b.toString()) && splits(segments, i + 1, tokens)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The port the image listens on: ENV QUARKUS_HTTP_PORT, else quarkus.http.port, else
         * Quarkus' 8080.
         */
        int imagePort() {
            String env = dockerfile == null ? null : dockerfile.env().get("QUARKUS_HTTP_PORT");
            if (env != null) {
                return Integer.parseInt(env);
            }
            return Integer.parseInt(properties.getOrDefault("quarkus.http.port", "8080").trim());
        }

        String portSource() {
            if (dockerfile != null && dockerfile.env().containsKey("QUARKUS_HTTP_PORT")) {
                return "ENV QUARKUS_HTTP_PORT of its Dockerfile";
            }
            return properties.containsKey("quarkus.http.port")
                    ? "quarkus.http.port in " + name + "/src/main/resources/application.properties"
                    : "Quarkus' default 8080: "
                            + name
                            + "/src/main/resources/application.properties sets no quarkus.http.port";
        }

        boolean usesKafka() {
            return pom.contains("quarkus-kafka") || pom.contains("quarkus-messaging-kafka");
        }

        /** Topics the configuration names (keys ending in topic or topics, eagle.* values). */
        Set<String> topics() {
            Set<String> out = new TreeSet<>();
            rawProperties.forEach(
                    (k, v) -> {
                        if (k.endsWith("topic") || k.endsWith("topics") || k.endsWith("-topic")) {
                            for (String t : v.split(",")) {
                                if (t.trim().startsWith("eagle.")) {
                                    out.add(t.trim());
                                }
                            }
                        }
                    });
            return out;
        }
    }
}
