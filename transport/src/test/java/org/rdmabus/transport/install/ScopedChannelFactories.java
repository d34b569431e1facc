package org.rdmabus.transport.install;

import org.rdmabus.transport.impl.NodeChannelFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A context class loader under which {@link java.util.ServiceLoader} finds exactly the given channel providers and
 * none of the class path's: rdmabus loads its providers through the context class loader of the thread that builds
 * Vert.x, so a test can choose them without touching what other tests load. Classes and every other resource come
 * from the parent, unchanged.
 */
final class ScopedChannelFactories extends ClassLoader {

    private static final String SERVICE_FILE = "META-INF/services/" + NodeChannelFactory.class.getName();

    private final URL serviceFile;

    private ScopedChannelFactories(ClassLoader parent, URL serviceFile) {
        super(parent);
        this.serviceFile = serviceFile;
    }

    /**
     * Runs an action, typically building a node, with only these providers service-loadable.
     *
     * @param directory where to write the service file
     * @param providers the provider classes
     * @param action    what to run
     * @param <T>       its result
     * @return the action's result
     */
    static <T> T with(Path directory, List<Class<? extends NodeChannelFactory>> providers, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            Path file = Files.createTempFile(directory, "providers", ".txt");
            Files.writeString(file, providers.stream().map(Class::getName).collect(Collectors.joining("\n", "", "\n")));
            thread.setContextClassLoader(new ScopedChannelFactories(previous, file.toUri().toURL()));
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Override
    public URL getResource(String name) {
        return SERVICE_FILE.equals(name) ? serviceFile : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return SERVICE_FILE.equals(name) ? Collections.enumeration(List.of(serviceFile)) : super.getResources(name);
    }
}
