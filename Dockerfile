# decisionflow: one static binary; `api`, `worker`, `serve` and `migrate` are its subcommands.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The production image leaves the embedded development server out (-tags nodev).
RUN CGO_ENABLED=0 go build -trimpath -tags nodev -ldflags "-s -w -X main.version=${VERSION}" -o /out/decisionflow ./cmd/decisionflow

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/decisionflow /usr/local/bin/decisionflow
ENV DECISIONFLOW_HTTP_ADDR=:8080 DECISIONFLOW_LOG_FORMAT=json
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/decisionflow"]
CMD ["serve"]
