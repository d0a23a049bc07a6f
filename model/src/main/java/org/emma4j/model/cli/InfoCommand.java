package org.emma4j.model.cli;

import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine.Command;

/** Prints what emma4j will run on: the JDK, the vector width the Vector API picked, the cores. */
@Command(name = "info", description = "Show the JDK, SIMD width and cores emma4j will use.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("java      " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        System.out.println("simd      " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit float vectors ("
                + FloatVector.SPECIES_PREFERRED.length() + " lanes)");
        System.out.println("cores     " + Runtime.getRuntime().availableProcessors());
        return 0;
    }
}
