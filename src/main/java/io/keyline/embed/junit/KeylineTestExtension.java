package io.keyline.embed.junit;

import io.keyline.embed.ManualClock;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link KeylineTest}: builds a {@link KeylineExtension} from the annotation of
 * the test class and delegates to it. The delegate lives in the class's extension store, so
 * {@code @Nested} classes share their enclosing class's server.
 */
public final class KeylineTestExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeylineTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        delegate(context).beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        delegate(context).afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        delegate(context).beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        delegate(context).afterEach(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return delegate(context).supportsParameter(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return delegate(context).resolveParameter(parameter, context);
    }

    /** The class's extension, found in this context's store or an enclosing one, else built from the annotation. */
    private static KeylineExtension delegate(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        KeylineExtension existing = store.get(KeylineExtension.class, KeylineExtension.class);
        if (existing != null) return existing;
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        KeylineTest annotation = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), KeylineTest.class)
                .orElseThrow(() -> new ExtensionConfigurationException("KeylineTestExtension needs @KeylineTest on the test class"));
        KeylineExtension created = fromAnnotation(annotation);
        classContext.getStore(NAMESPACE).put(KeylineExtension.class, created);
        return created;
    }

    static KeylineExtension fromAnnotation(KeylineTest annotation) {
        KeylineExtension.Builder b = KeylineExtension.builder();
        for (String directive : annotation.config()) {
            String d = directive.strip();
            int space = d.indexOf(' ');
            if (space < 0) {
                throw new ExtensionConfigurationException("@KeylineTest config entries are \"name value\", got \"" + directive + "\"");
            }
            b.config(d.substring(0, space), d.substring(space + 1).strip());
        }
        if (annotation.lifecycle() == KeylineTest.Lifecycle.PER_METHOD) b.perTest();
        if (annotation.manualClock()) b.clock(new ManualClock());
        return b.build();
    }
}
