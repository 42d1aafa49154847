# lsky as a container image: the compiled executable is the entrypoint and
# PID 1 (it reaps orphans and drains on SIGTERM).
#   npm run build                      # makes dist/lsky
#   docker build -t lsky .
#   docker run --rm -p 8000:8000 lsky  # the built-in welcome app
#   docker run --rm -p 8000:8000 -v "$PWD:/srv/app" lsky serve app.ts --host 0.0.0.0
# For one image per app, `lsky compile` it first (docs/DEPLOYMENT.md).
FROM debian:bookworm-slim
COPY dist/lsky /usr/local/bin/lsky
COPY examples/fetch /srv/app
WORKDIR /srv/app
USER nobody
EXPOSE 8000
# SIGTERM drains the workers; give `docker stop` more than the grace period (-t 40).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/lsky"]
CMD ["serve", "app.ts", "--host", "0.0.0.0", "--port", "8000"]
