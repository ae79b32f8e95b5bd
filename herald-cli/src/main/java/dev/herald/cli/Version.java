package dev.herald.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest. Stateless and thread-safe. */
final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"herald " + (v == null ? "(development build)" : v)};
    }
}
