# One image recipe for every executable: docker build --build-arg MODULE=processor|api-adapter|admin .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
ARG MODULE
RUN ./mvnw -B -q -Dmaven.test.skip=true -pl ${MODULE} -am package

FROM eclipse-temurin:17-jre
ARG MODULE
RUN useradd --system --uid 10001 patchbay
COPY --from=build /src/${MODULE}/target/*-exec.jar /app/app.jar
USER patchbay
# Out of heap, the JVM exits and its orchestrator restarts it: threads that died of OutOfMemoryError once left an
# adapter that accepted connections and answered nothing (BENCHMARKS.md, "An adapter that outlives a burst").
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/app.jar"]
