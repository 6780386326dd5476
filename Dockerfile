# Peregrine server image: build with the .NET SDK, run on the ASP.NET runtime.
# The container applies the EF migrations, then serves on port 8080.

# The GraphiQL console's bundle (served only when PEREGRINE_ENABLE_CONSOLE=true).
FROM node:20-bookworm-slim AS console
WORKDIR /console
COPY clients/console/package.json clients/console/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY clients/console/build.mjs ./
COPY clients/console/src/ src/
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Peregrine.sln ./
COPY src/Peregrine.Domain/Peregrine.Domain.csproj src/Peregrine.Domain/
COPY src/Peregrine.Graph/Peregrine.Graph.csproj src/Peregrine.Graph/
RUN dotnet restore src/Peregrine.Graph/Peregrine.Graph.csproj
COPY src/ src/
COPY --from=console /console/dist clients/console/dist
# /v1/version reports <Version>+<commit>; the build context has no .git, so the commit comes in as an argument:
#   docker build --build-arg GIT_SHA=$(git rev-parse HEAD) .      (GIT_SHA=$(git rev-parse HEAD) docker compose build)
ARG GIT_SHA=unknown
RUN dotnet publish src/Peregrine.Graph/Peregrine.Graph.csproj -c Release --no-restore -o /app -p:SourceRevisionId=${GIT_SHA}

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["/bin/sh", "-c", "dotnet Peregrine.Graph.dll migrate && exec dotnet Peregrine.Graph.dll \"$@\"", "--"]
