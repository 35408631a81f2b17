@echo off
rem patchgate launcher for Windows: runs lib\patchgate.jar with %JAVA_OPTS% (default below: the
rem .deb's, sized for about 10,000 connections; README, "Sizing").
rem Relative paths in conf\patchgate.conf are resolved against the current directory: run it from
rem the directory the zip was unpacked into, e.g. bin\patchgate run --config conf\patchgate.conf
setlocal
set "APP_HOME=%~dp0.."
if not defined JAVA_OPTS set "JAVA_OPTS=-Xms64m -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=256m -XX:+ExitOnOutOfMemoryError"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" %JAVA_OPTS% -jar "%APP_HOME%\lib\patchgate.jar" %*
exit /b %ERRORLEVEL%
