package io.tidelog.systemtests.clients;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link BrokerTarget} parameter to the broker named by the test class's
 * {@link Against}. Each kind is started once per test run, on first use, and kept in JUnit's root
 * store, which closes it (stopping its processes) when the run ends: starting a Kafka broker costs
 * seconds of CPU on a two-core machine, so the contract classes share one.
 */
final class SharedBrokers implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedBrokers.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == BrokerTarget.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Against against = context.getRequiredTestClass().getAnnotation(Against.class);
        if (against == null) {
            throw new ParameterResolutionException(context.getRequiredTestClass() + " has no @Against(broker)");
        }
        Broker kind = against.value();
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(kind, Broker::start, BrokerTarget.class);
    }
}
