package org.originhub.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.originhub.support.HubProperties;
import org.originhub.support.HubSpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An operator's first visit to Hawtio, in Debian's headless Chromium driven by Selenium through
 * {@code /usr/bin/chromedriver} (never a downloaded driver; Selenium Manager is not used): the console sends the
 * browser to the login page, the operator logs in, opens the Camel plugin and finds the outbound and inbound routes.
 * It then opens the JMX view, where the broker's queues and dead-letter queues are. Screenshots:
 * {@code target/hawtio-login.png}, {@code target/hawtio-camel-routes.png}, {@code target/hawtio-jmx-queues.png}. Skipped only where Chromium is
 * missing and CI is not "true" (on CI a missing browser fails the test).
 */
// Camel's JMX must be on: Hawtio's Camel plugin reads the routes' MBeans (Camel's test support turns it off by default,
// for the rest of the JVM, once any @CamelSpringBootTest ran).
@HubSpringBootTest
@DisableJmx(false)
class HawtioBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final List<String> ROUTES = List.of("outbound-sign-and-route", "inbound-verify", "sw-inbox-delivery",
            "sw-outbox-intake-AR", "partner-forward-BR");

    @DynamicPropertySource
    static void hubProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hawtio-browser");
        new HubProperties(dir.resolve("hub"), "hub-hawtio-test", 52).asMap().forEach((k, v) -> registry.add(k, () -> v));
    }

    @LocalServerPort
    int port;
    WebDriver browser;
    Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium and chromium-driver are required on CI (apt-get install -y chromium chromium-driver)");
            }
            Assumptions.abort("chromium or chromedriver missing: apt-get install -y chromium chromium-driver");
        }
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        profile = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hawtio-chromium-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1600,1000", "--user-data-dir=" + profile);
        // The driver executable is given, so Selenium never looks for (or downloads) one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void operatorLogsInAndFindsTheRoutesInTheCamelPlugin() throws Exception {
        String base = "http://127.0.0.1:" + port;
        browser.get(base + "/actuator/hawtio/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.getCurrentUrl().endsWith("/login"));
        screenshot("hawtio-login.png");
        browser.findElement(By.name("username")).sendKeys("operator");
        browser.findElement(By.name("password")).sendKeys(HubProperties.OPERATOR_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();

        try {
            wait.until(d -> d.getCurrentUrl().contains("/actuator/hawtio/"));
            WebElement camel = wait.until(d -> first(d, By.xpath("//nav//a[normalize-space()='Camel']")));
            camel.click();
            wait.until(d -> d.getCurrentUrl().contains("/camel"));
            // The tree: Camel Contexts > hub-hawtio-test-origin-hub > Routes; the Routes folder lists every route.
            WebElement routesFolder = wait.until(d -> first(d, By.xpath("//*[@id='camel-tree-view' or contains(@class,'tree')]"
                    + "//*[normalize-space(text())='Routes' or normalize-space(text())='routes']")));
            routesFolder.click();
            // The routes folder opens on its diagram; its "Routes" tab is the table of routes with state and counters.
            WebElement routesTab = wait.until(d -> first(d, By.xpath("//a[contains(@href,'/camel/routes')][normalize-space()='Routes']")));
            routesTab.click();
            wait.until(d -> first(d, By.xpath("//table//td[normalize-space()='outbound-sign-and-route']")) != null);
            wait.until(d -> ROUTES.stream().allMatch(text(d)::contains));
        } finally {
            Files.writeString(Path.of("target/hawtio-camel-routes.txt"), browser.getCurrentUrl() + "\n" + text(browser)
                    + "\n----\n" + browser.getPageSource());
            screenshot("hawtio-camel-routes.png");
        }
        assertThat(browser.getCurrentUrl()).contains("/actuator/hawtio/camel/");
        String table = browser.findElement(By.xpath("//table[.//td[normalize-space()='outbound-sign-and-route']]")).getText();
        assertThat(table).contains(ROUTES).contains("Started");
        // The tree beside it shows the Camel context and every route, outbound and inbound.
        assertThat(text(browser)).contains("origin-hub", "routes", "sw-outbox-intake-BR", "partner-forward-AR", "endpoints");

        // The JMX view holds the broker's queues, dead-letter queues included (browse/move/retry are their operations).
        try {
            wait.until(d -> first(d, By.xpath("//nav//a[normalize-space()='JMX']"))).click();
            wait.until(d -> first(d, By.xpath("//button[normalize-space()='Expand all']"))).click();
            wait.until(d -> text(d).contains("DLQ.AR.sw.outbox"));
            // Filter the tree down to the dead-letter queues, as an operator would.
            WebElement search = wait.until(d -> first(d, By.xpath("//input[@type='search' or @type='text']")));
            search.sendKeys("DLQ.");
            search.sendKeys(org.openqa.selenium.Keys.ENTER);
            wait.until(d -> !text(d).contains("java.lang"));
        } finally {
            screenshot("hawtio-jmx-queues.png");
        }
        assertThat(text(browser)).contains("org.apache.activemq.artemis", "DLQ.hub.outbound", "DLQ.partner.BR.out", "DLQ.AR.sw.inbox");
    }

    static String text(WebDriver d) {
        Object text = ((JavascriptExecutor) d).executeScript("return document.body ? document.body.innerText : ''");
        return String.valueOf(text);
    }

    static WebElement first(WebDriver d, By by) {
        List<WebElement> found = d.findElements(by);
        return found.stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
    }

    void screenshot(String name) throws Exception {
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(Path.of("target"));
        Files.copy(png.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }
}
