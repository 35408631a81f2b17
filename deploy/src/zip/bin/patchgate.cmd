@echo off
rem patchgate launcher for Windows: runs lib\patchgate.jar with %JAVA_OPTS% (default below).
rem Relative paths in conf\patchgate.conf are resolved against the current directory: run it from
rem the directory the zip was unpacked into, e.g. bin\patchgate run --config conf\patchgate.conf
setlocal
set "APP_HOME=%~dp0.."
if not defined JAVA_OPTS set "JAVA_OPTS=-Xms256m -Xmx1g"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" %JAVA_OPTS% -jar "%APP_HOME%\lib\patchgate.jar" %*
exit /b %ERRORLEVEL%
