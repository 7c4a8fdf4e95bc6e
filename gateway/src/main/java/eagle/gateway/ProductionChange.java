package eagle.gateway;

/**
 * A server-sent event on {@code GET /v1/encoders/{name}/events}: where {@code production} points as
 * the gateway serves it. The first event of every stream is {@code CURRENT} (the state when the
 * client connected); each later one is {@code MOVED}, sent after the new version is verified,
 * loaded, warmed and swapped in (so a client that reacts by downloading gets the new version).
 *
 * @param type {@code CURRENT} or {@code MOVED}
 * @param model model name
 * @param version the version production now points at
 * @param sha256 its artifact digest
 * @param previousVersion the version served before (kept loaded for an instant rollback), or null
 * @param cause what made the gateway look: {@code kafka}, {@code poll}, {@code request}, {@code
 *     start}
 * @param at when the gateway swapped it in (ISO-8601)
 */
public record ProductionChange(
        String type,
        String model,
        int version,
        String sha256,
        Integer previousVersion,
        String cause,
        String at) {}
