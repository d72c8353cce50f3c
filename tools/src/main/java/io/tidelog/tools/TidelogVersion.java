package io.tidelog.tools;

import picocli.CommandLine.IVersionProvider;

/** The version recorded in the runnable jar's manifest ({@code Implementation-Version}). */
public final class TidelogVersion implements IVersionProvider {

    /** The version, or {@code development} when running from classes rather than the jar. */
    public static String version() {
        String version = Tidelog.class.getPackage().getImplementationVersion();
        return version != null ? version : "development";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"tidelog " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
