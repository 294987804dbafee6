package org.originhub;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages are capabilities (format, signature, routing, history, ...) that depend on each other in one direction:
 * no cycle between them, checked on the compiled classes. The lowest layers are {@code exchange} (headers, rejection
 * reasons), {@code xml} and {@code dataset} (the envelope, its codec, acknowledgements); the flows ({@code outbound},
 * {@code inbound}) sit on top.
 */
@AnalyzeClasses(packages = "org.originhub", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    @ArchTest
    static final ArchRule noCycleBetweenCapabilities = slices().matching("org.originhub.(*)..").should().beFreeOfCycles();
}
