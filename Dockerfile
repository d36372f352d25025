# kago-server: the order and funnel-event endpoint, as one small image.
#   docker build -t kago-server .
#   docker run -p 8080:8080 -e KAGO_ADMIN_TOKEN=… -v kago:/data \
#     -v ./www:/catalog:ro kago-server --catalog /catalog/catalog.json
# (README, "Run the endpoint": the same binary runs without Docker.)
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core core
COPY server server
COPY src src
# Cargo.toml declares examples/widget.rs (the widget's release link): cargo reads every target
# of the workspace's members, even to build only the server.
COPY examples examples
RUN cargo build --locked --profile server -p kago-server

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /data --create-home kago
COPY --from=build /src/target/server/kago-server /usr/local/bin/kago-server
USER kago
WORKDIR /data
ENV KAGO_HOST=0.0.0.0 KAGO_PORT=8080 KAGO_DB=/data/kago.sqlite KAGO_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ready <&3"]
ENTRYPOINT ["/usr/local/bin/kago-server"]
