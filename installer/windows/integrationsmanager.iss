; Inno Setup script: Windows installer for the Integrationsmanager (German wizard).
;
; Build the program first with PyInstaller (installer/README.md), then, from the repository
; root:
;
;     iscc /DAppVersion=0.1.0 installer\windows\integrationsmanager.iss
;
; Paths below are relative to this file. The installer goes to dist\, named
; Integrationsmanager-<version>-Setup.exe. Needs Inno Setup 6.3 or newer.
;
; The office's data is not part of the installation: the database, backups and logs live in
; the user's profile (%LOCALAPPDATA%\Integrationsmanager) and stay when the program is
; uninstalled or updated.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Integrationsmanager"
#define AppPublisher "Landkreis Altenburger Land – Integrationsmanagement"
#define AppExeName "Integrationsmanager.exe"
#define BuildDir "..\..\dist\Integrationsmanager"
#define IconFile "..\..\build\integrationsmanager\integrationsmanager.ico"

[Setup]
; The AppId identifies the program for updates and uninstallation: never change it.
AppId={{F8BD1A8E-AF60-5A72-83B4-A8F305AC067F}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Maßnahmen, Netzwerk, Arbeitskreise, Förderung und Monitoring des Integrationsmanagements
VersionInfoVersion={#AppVersion}
VersionInfoDescription={#AppName} – Setup
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=Integrationsmanager-{#AppVersion}-Setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExeName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ShowLanguageDialog=no

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the bundled libraries completely, so no stale file of an old version stays.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Integrationsmanagement des Landkreises Altenburger Land"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "Integrationsmanagement des Landkreises Altenburger Land"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
