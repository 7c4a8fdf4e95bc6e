package eagle.gateway;

import eagle.client.RegistryClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The registry client of {@code eagle.gateway.registry.*} (read role only). */
public class RegistryClientProducer {

    @Produces
    @Singleton
    RegistryClient registryClient(GatewayConfig config) {
        GatewayConfig.Registry registry = config.registry();
        return new RegistryClient(
                registry.url(), registry.token().orElse(null), registry.timeout());
    }
}
