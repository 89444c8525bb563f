/**
 * How the test harnesses start patchbay's apps as JVMs of their own, quickly: the executable jar extracted into the
 * layout Spring Boot recommends for running ({@link io.patchbay.devstack.launch.ExtractedJar}) and a class-data
 * sharing archive of the app's start ({@link io.patchbay.devstack.launch.ClassDataArchive}). Used by the fault
 * harness's {@code faults.AppProcess} and by the benchmark's smoke run.
 */
package io.patchbay.devstack.launch;
