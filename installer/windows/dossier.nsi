; Dossier for Windows: an NSIS installer (LZMA, solid) around the PyInstaller one-folder app.
;
; Build on Windows after PyInstaller (the CI workflow .github/workflows/installers.yml does this):
;   python installer\platform_meta.py nsis > build\dossier-meta.nsh
;   makensis /DMETA=%CD%\build\dossier-meta.nsh /DDIST=%CD%\dist\dossier /DOUT=%CD%\dist\Dossier-setup.exe installer\windows\dossier.nsi
; (absolute paths: makensis compiles in the script's own folder)
;
; What it does: installs the app for the current user (no administrator rights needed; run with
; /ALLUSERS, or choose "all users" in the dialog as an administrator, for Program Files), a
; Start-menu entry, the .dossier file association (ProgID Dossier.Project: a double-click opens the
; project, Explorer shows the icon) and an uninstaller listed in Apps & features. Sealed .zip
; packages keep Explorer's own association. The user's projects and the institution identity
; (in %APPDATA%\Dossier) are never touched.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64
RequestExecutionLevel user

!ifndef META
  !error "pass /DMETA=<file written by installer/platform_meta.py nsis>"
!endif
!include "${META}"
!ifndef DIST
  !define DIST "../../dist/dossier"
!endif
!ifndef OUT
  !define OUT "../../dist/Dossier-${APP_VERSION}-windows-x64-setup.exe"
!endif
!define ICON "../../resources/icons/dossier.ico"  ; makensis works in the script's folder; "/" suits Windows and Linux

!define MULTIUSER_EXECUTIONLEVEL Highest
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_INSTALLMODE_INSTDIR "${APP_NAME}"
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!include MultiUser.nsh
!include MUI2.nsh
!include FileFunc.nsh

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"

Name "${APP_NAME} ${APP_VERSION}"
OutFile "${OUT}"
BrandingText "${APP_NAME} ${APP_VERSION}"
VIProductVersion "${APP_VERSION4}"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "ProductVersion" "${APP_VERSION}"
VIAddVersionKey "FileVersion" "${APP_VERSION}"
VIAddVersionKey "LegalCopyright" "Apache-2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\dossier.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  !insertmacro MULTIUSER_INIT
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "Dossier" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an older version's files go first, so nothing stale is left beside the new ones
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST}/*"
  File "/oname=dossier.ico" "${ICON}"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Start menu (the per-user or all-users programs folder, following the install mode)
  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\dossier.exe" "" "$INSTDIR\dossier.ico" 0

  ; the .dossier file type: HKCU\Software\Classes for a per-user install, HKLM for all users
  ; (SHCTX follows MultiUser's choice)
  WriteRegStr SHCTX "Software\Classes\${EXTENSION}" "" "${PROG_ID}"
  WriteRegStr SHCTX "Software\Classes\${EXTENSION}" "Content Type" "${MIME_TYPE}"
  WriteRegStr SHCTX "Software\Classes\${EXTENSION}\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}" "" "${DOC_NAME}"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\dossier.ico,0"
  WriteRegStr SHCTX "Software\Classes\${PROG_ID}\shell\open\command" "" '"$INSTDIR\dossier.exe" gui "%1"'
  WriteRegStr SHCTX "Software\Classes\Applications\dossier.exe\SupportedTypes" "${EXTENSION}" ""

  ; Apps & features
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\dossier.ico"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD SHCTX "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ; tell Explorer the file associations changed (SHCNE_ASSOCCHANGED)
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  ReadRegStr $0 SHCTX "Software\Classes\${EXTENSION}" ""
  StrCmp $0 "${PROG_ID}" 0 +2
    DeleteRegKey SHCTX "Software\Classes\${EXTENSION}"
  DeleteRegValue SHCTX "Software\Classes\${EXTENSION}\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey SHCTX "Software\Classes\${PROG_ID}"
  DeleteRegKey SHCTX "Software\Classes\Applications\dossier.exe"
  DeleteRegKey SHCTX "${UNINSTALL_KEY}"
  ; the app folder only: projects and the identity live elsewhere (%APPDATA%\Dossier)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\dossier.exe"
  Delete "$INSTDIR\dossier-cli.exe"
  Delete "$INSTDIR\dossier.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
