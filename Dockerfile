# Multi-stage build of the fengqiao binary: a static, cgo-free executable on a distroless base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY third_party ./third_party
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-X main.version=${VERSION}" -o /out/fengqiao ./cmd/fengqiao

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/fengqiao /fengqiao
USER nonroot
EXPOSE 8080
ENTRYPOINT ["/fengqiao"]
CMD ["serve"]
