"""The main window: the map in the centre, docks around it (layers, parcel table,
assessment, history, results), menus, tool bar and status bar. It only assembles
the parts; the work is theirs: :class:`FileActions` (files, reports, recovery),
:class:`ZoneSetActions`, :class:`EditingController` (map tools → undo commands,
selection on the map) and :class:`AssessmentController` (assess all, period,
reliefs, review)."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QIcon, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMainWindow, QMessageBox, QSpinBox, QTabWidget

from zones.resources import resources_root

from desktop import i18n
from desktop import settings as S
from desktop.assessment_controller import AssessmentController
from desktop.editing_controller import EditingController
from desktop.file_actions import FileActions
from desktop.find.search_box import FindController
from desktop.panels.assessment_panel import AssessmentPanel
from desktop.panels.history_panel import HistoryPanel
from desktop.panels.layers_panel import LayersPanel
from desktop.panels.parcel_table import ParcelTable
from desktop.panels.results_panel import ResultsPanel
from desktop.status_line import StatusLine
from desktop.tool_hints import ToolHints, add_shortcuts_to_tooltips
from desktop.zoneset_actions import ZoneSetActions

from desktop.map.map_canvas import MapCanvas

TOOLS = ("pan", "zoom", "select", "draw", "hole", "edit", "measure")


def icon(name: str) -> QIcon:
    path = resources_root() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


class MainWindow(QMainWindow):
    find: FindController  # type: ignore[assignment]  # shadows the static QWidget.find(id)

    def __init__(self, doc, settings, parent=None) -> None:
        super().__init__(parent)
        self.doc, self.settings = doc, settings
        self.setObjectName("MainWindow")
        self.setWindowIcon(icon("app"))
        self.files = FileActions(self)
        self.zonesets = ZoneSetActions(self)
        self._build_centre()
        self._build_docks()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status()
        # the controllers connect to the widgets built above; actions reach them late (lambdas)
        self.editing = EditingController(self)
        self.assessing = AssessmentController(self)
        from desktop.reconcile import install as install_reconcile

        self.reconcile = install_reconcile(self)
        self._build_find()
        self._build_reference_layers()
        from desktop.window_extras import Extras   # navigation, workbooks, guide, results layout
        self.extras = Extras(self)
        from desktop.database_project import install as install_database   # 打开数据库项目… (shared store)

        self.database = install_database(self)
        self._connect()
        self.retranslate()
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(1000 * max(10, settings.get(S.AUTOSAVE_SECONDS)))
        self.autosave_timer.timeout.connect(doc.autosave_now)
        self.autosave_timer.start()
        self.resize(1400, 860)
        geometry, state = settings.get(S.WINDOW_GEOMETRY), settings.get(S.WINDOW_STATE)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if not state.isEmpty():
            self.restoreState(state)

    # -------------------------------------------------------------- build
    def _build_centre(self) -> None:
        # The map draws the zone set's name, legal basis and accuracy under itself;
        # the status bar repeats name and basis, the layers panel the full statement.
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)

    def _dock(self, name: str, widget, area) -> QDockWidget:
        dock = QDockWidget(name, self)     # a title at once: Qt's dock tab bars keep the tabs they were made with
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        self.layers = LayersPanel()
        self.table = ParcelTable(self.doc)
        self.assessment = AssessmentPanel(self.doc)
        self.history = HistoryPanel(self.doc)
        self.results = ResultsPanel(self.doc)
        right, left, bottom = (Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea,
                               Qt.DockWidgetArea.BottomDockWidgetArea)
        # Tabs inside one dock rather than tabified docks: Qt 6 leaves stray tab bars of
        # tabified docks on screen when the layout is built before the window is shown.
        self.detail_tabs = QTabWidget()
        self.detail_tabs.addTab(self.assessment, "")
        self.detail_tabs.addTab(self.history, "")
        self.bottom_tabs = QTabWidget()
        self.bottom_tabs.addTab(self.table, "")
        self.bottom_tabs.addTab(self.results, "")
        self.layers_dock = self._dock("layers", self.layers, left)
        self.assessment_dock = self._dock("assessment", self.detail_tabs, right)
        self.table_dock = self._dock("table", self.bottom_tabs, bottom)
        self.resizeDocks([self.assessment_dock], [430], Qt.Orientation.Horizontal)
        self.resizeDocks([self.layers_dock], [250], Qt.Orientation.Horizontal)
        self.resizeDocks([self.table_dock], [260], Qt.Orientation.Vertical)

    def _action(self, slot, shortcut=None, icon_name=None, checkable=False) -> QAction:
        a = QAction(self)
        if icon_name:
            a.setIcon(icon(icon_name))
        if shortcut:
            a.setShortcut(shortcut)
        a.setCheckable(checkable)
        if slot is not None:
            a.triggered.connect(slot)
        return a

    def _build_actions(self) -> None:
        f = self.files
        A = self._action
        self.a_new = A(f.new, QKeySequence.StandardKey.New)
        self.a_open = A(lambda: f.open(), QKeySequence.StandardKey.Open, "open")
        self.a_sample = A(f.open_sample)
        self.a_save = A(f.save, QKeySequence.StandardKey.Save, "save")
        self.a_save_as = A(lambda: f.save_as(), QKeySequence.StandardKey.SaveAs)
        self.a_import = A(f.import_dialog, "Ctrl+I", "import")
        self.a_coords = A(lambda: self.editing.type_coordinates(), "Ctrl+T", "coordinates")
        self.a_export = A(lambda: f.export_results(), "Ctrl+E", "export")
        self.a_preview = A(lambda: f.report("preview", False), None, "print")
        self.a_print = A(lambda: f.report("print", False), QKeySequence.StandardKey.Print)
        self.a_pdf = A(lambda: f.report("pdf", False))
        self.a_preview_all = A(lambda: f.report("preview", True))
        self.a_pdf_all = A(lambda: f.report("pdf", True))
        self.a_print_all = A(lambda: f.report("print", True))
        self.a_print_taxpayer = A(lambda: f.report("print", "taxpayer"))
        self.a_pdf_taxpayer = A(lambda: f.report("pdf", "taxpayer"))
        self.a_quit = A(self.close, QKeySequence.StandardKey.Quit)
        self.a_undo = self.doc.stack.createUndoAction(self)
        self.a_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.a_undo.setIcon(icon("undo"))
        self.a_redo = self.doc.stack.createRedoAction(self)
        self.a_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.a_redo.setIcon(icon("redo"))
        self.a_delete = A(lambda: self.editing.delete_selected(), QKeySequence.StandardKey.Delete, "delete")
        self.a_reliefs = A(lambda: self.assessing.edit_reliefs())
        self.a_review = A(lambda: self.assessing.mark_reviewed())
        self.a_operator = A(self.edit_officer)
        self.a_assess = A(lambda: self.assessing.assess_all(), "F5", "assess")
        self.a_cancel = A(self.doc.runner.cancel)
        self.a_cancel.setEnabled(False)
        # project setting: the earlier rule (tax from the unrounded map area) instead of 0.01 m² tax bases
        self.a_unrounded = A(self._tax_base_toggled, None, None, checkable=True)
        self.tool_group = QActionGroup(self)
        self.tool_actions = {}
        for name, key in zip(TOOLS, ("H", "Z", "S", "D", "O", "V", "M")):
            a = A(lambda _=False, n=name: self.set_tool(n), key, f"tool_{name}", checkable=True)
            self.tool_group.addAction(a)
            self.tool_actions[name] = a
        self.tool_actions["pan"].setChecked(True)
        self.a_zoom_zones = A(lambda: self.canvas.zoom_to_zones(), None, "zoom_zones")
        self.a_zoom_parcels = A(lambda: self.canvas.zoom_to_parcels(), None, "zoom_parcels")
        self.a_zoom_selection = A(lambda: self.canvas.zoom_to_selection(), None, "zoom_selection")
        self.a_legend = A(lambda on: self.canvas.set_legend_visible(on), None, None, checkable=True)
        self.a_legend.setChecked(True)
        self.a_snap = A(self._snapping, None, "snap", checkable=True)
        self.a_snap.setChecked(self.settings.get(S.SNAPPING))
        self.lang_group = QActionGroup(self)
        self.lang_actions = {}
        for code, label in i18n.LANGUAGES.items():
            a = A(lambda _=False, c=code: self.set_language(c), None, None, checkable=True)
            a.setText(label)
            self.lang_group.addAction(a)
            self.lang_actions[code] = a
        self.a_log = A(self.show_log)
        self.a_about = A(self.about)

    def _build_menus_and_toolbar(self) -> None:
        mb = self.menuBar()
        self.m_file, self.m_edit, self.m_view, self.m_assess, self.m_lang, self.m_help = (mb.addMenu("") for _ in range(6))
        for a in (self.a_new, self.a_open, self.a_sample, None, self.a_save, self.a_save_as, None, self.a_import,
                  self.a_coords, self.a_export, None, self.a_preview, self.a_print, self.a_pdf, self.a_preview_all,
                  self.a_pdf_all, self.a_print_all, self.a_print_taxpayer, self.a_pdf_taxpayer, None, self.a_quit):
            self.m_file.addSeparator() if a is None else self.m_file.addAction(a)
        for a in (self.a_undo, self.a_redo, None, self.a_delete, self.a_reliefs, self.a_review, None, self.a_operator):
            self.m_edit.addSeparator() if a is None else self.m_edit.addAction(a)
        for a in list(self.tool_actions.values()) + [None, self.a_zoom_zones, self.a_zoom_parcels, self.a_zoom_selection,
                                                     self.a_snap, self.a_legend, None]:
            self.m_view.addSeparator() if a is None else self.m_view.addAction(a)
        for d in (self.layers_dock, self.table_dock, self.assessment_dock):
            self.m_view.addAction(d.toggleViewAction())
        self.m_assess.addAction(self.a_assess)
        self.m_assess.addAction(self.a_cancel)
        self.m_assess.addSeparator()
        self.m_assess.addAction(self.a_unrounded)
        for a in self.lang_actions.values():
            self.m_lang.addAction(a)
        self.m_help.addAction(self.a_log)
        self.m_help.addAction(self.a_about)
        self.toolbar = self.addToolBar("")
        self.toolbar.setObjectName("main_toolbar")
        for a in (self.a_open, self.a_save, None, self.a_undo, self.a_redo, None, *self.tool_actions.values(), None,
                  self.a_zoom_zones, self.a_zoom_parcels, self.a_zoom_selection, self.a_snap, None, self.a_import,
                  self.a_coords, self.a_delete, None, self.a_assess):
            self.toolbar.addSeparator() if a is None else self.toolbar.addAction(a)
        self.year = QSpinBox()
        self.year.setRange(2007, 2100)
        self.year.setValue(self.doc.project.period.year)
        self.period = QComboBox()
        self.period.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)   # follows the language
        self.period_label = QLabel()
        self.toolbar.addSeparator()
        self.toolbar.addWidget(self.period_label)
        self.toolbar.addWidget(self.year)
        self.toolbar.addWidget(self.period)

    def _build_find(self) -> None:
        # search box at the tool bar's end; 查找 / 转到坐标 in the View menu (desktop/find/)
        self.find = FindController(self, self._show_parcel)
        self.find_toolbar = self.addToolBar("")
        self.find_toolbar.setObjectName("find_toolbar")
        self.find_toolbar.addWidget(self.find.box)
        self.a_find = self._action(lambda: (self.find.box.setFocus(), self.find.box.selectAll()), "Ctrl+F")  # type: ignore[func-returns-value]
        self.a_goto = self._action(self.go_to_position, "Ctrl+G")
        self.m_view.insertActions(self.m_view.actions()[0], [self.a_find, self.a_goto])
        self.m_view.insertSeparator(self.m_view.actions()[2])

    def _build_reference_layers(self) -> None:
        # the office's own maps under the grades (desktop/reference_layers/)
        from desktop.reference_layers.controller import ReferenceLayers
        from desktop.reference_layers.panel import ReferenceLayersPanel
        self.reference_layers = ReferenceLayers(self)
        self.reference_layers.failed.connect(
            lambda text: QMessageBox.warning(self, self.tr("Reference layer"), text))
        self.reference_panel = ReferenceLayersPanel(self.reference_layers, self.settings)
        self.reference_dock = self._dock("reference_layers", self.reference_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.a_add_reference = self._action(lambda: self.reference_panel.ask_and_add())
        self.m_file.insertAction(self.a_export, self.a_add_reference)
        self.m_view.addAction(self.reference_dock.toggleViewAction())
        from desktop.recent_projects import RecentProjects
        self.recent = RecentProjects(self)
        self.m_file.insertMenu(self.a_sample, self.recent.menu)

    def edit_officer(self) -> bool:
        from desktop.officer import edit_officer
        return edit_officer(self)

    def go_to_position(self) -> None:
        from desktop.dialogs.goto_dialog import GotoDialog
        dlg = GotoDialog(self)
        if dlg.exec() and dlg.position is not None:
            self.find.go_to_position(dlg.position)
        dlg.deleteLater()

    def _build_status(self) -> None:
        self.status = StatusLine(self)
        self.hints = ToolHints(self)
        self.progress, self.cancel_button = self.status.progress, self.status.cancel_button

    def _connect(self) -> None:
        d, c = self.doc, self.canvas
        d.changed.connect(self._on_changed)
        # Bound methods, not lambdas: the document outlives the window (a script may drop the
        # window without closing it), and Qt disconnects a destroyed receiver's methods only.
        d.stack.cleanChanged.connect(self._on_clean_changed)
        d.pathChanged.connect(self._on_path_changed)
        c.previewChanged.connect(lambda text: self.statusBar().showMessage(text))
        self.layers.visibilityChanged.connect(lambda n, on: c.set_layer_visible(n, on))
        for name, box in self.layers.boxes.items():     # the map starts as the panel's ticks say
            c.set_layer_visible(name, box.isChecked())
        self.layers.zonesetChosen.connect(self.zonesets.choose)
        self.layers.loadOfficialRequested.connect(self.zonesets.load_official)
        self.table.reliefsRequested.connect(self.assessing.edit_reliefs)
        self.results.parcelActivated.connect(self._show_parcel)
        self.results.export_button.clicked.connect(lambda: self.files.export_results())

    # ------------------------------------------------------------- texts
    def retranslate(self) -> None:
        t = self.tr
        if hasattr(self, "reconcile"):
            self.reconcile.retranslate()
        if hasattr(self, "database"):
            self.database.retranslate()
        for a, text in ((self.a_new, t("&New project")), (self.a_open, t("&Open project…")),
                        (self.a_sample, t("Open &sample project")), (self.a_save, t("&Save")),
                        (self.a_save_as, t("Save &as…")), (self.a_import, t("&Import parcels…")),
                        (self.a_coords, t("&Type coordinates…")), (self.a_export, t("&Export results…")),
                        (self.a_preview, t("Print pre&view (selected parcel)…")),
                        (self.a_print, t("&Print (selected parcel)…")), (self.a_pdf, t("Save report as PDF (selected parcel)…")),
                        (self.a_preview_all, t("Print preview (all parcels)…")), (self.a_pdf_all, t("Save report as PDF (all parcels)…")),
                        (self.a_print_all, t("Print (all parcels)…")),
                        (self.a_print_taxpayer, t("Print the taxpayer's parcels…")),
                        (self.a_pdf_taxpayer, t("Save report as PDF (the taxpayer's parcels)…")),
                        (self.a_quit, t("&Quit")), (self.a_delete, t("&Delete parcel")),
                        (self.a_reliefs, t("Edit &reliefs…")), (self.a_review, t("Mark re&viewed…")),
                        (self.a_operator, t("Officer and tax office…")), (self.a_assess, t("&Assess all")),
                        (self.a_cancel, t("&Cancel assessment")),
                        (self.a_unrounded, t("Tax on the &unrounded map area (earlier rule)")), (self.a_zoom_zones, t("Zoom to zones")),
                        (self.a_zoom_parcels, t("Zoom to parcels")), (self.a_zoom_selection, t("Zoom to selection")),
                        (self.a_snap, t("Snap to vertices and grade lines")), (self.a_legend, t("Show legend")), (self.a_log, t("Show &log")),
                        (self.a_about, t("&About"))):
            a.setText(text)
            a.setToolTip(text.replace("&", ""))
        names = {"pan": t("Pan"), "zoom": t("Zoom box"), "select": t("Select"), "draw": t("Draw parcel"),
                 "hole": t("Add hole"), "edit": t("Edit vertices"), "measure": t("Measure distance and area")}
        for n, a in self.tool_actions.items():
            a.setText(names[n])
        self.a_undo.setText(t("&Undo"))
        self.a_redo.setText(t("&Redo"))
        for m, text in ((self.m_file, t("&File")), (self.m_edit, t("&Edit")), (self.m_view, t("&View")),
                        (self.m_assess, t("&Assess")), (self.m_lang, t("&Language")), (self.m_help, t("&Help"))):
            m.setTitle(text)
        self.toolbar.setWindowTitle(t("Tools"))
        self.find_toolbar.setWindowTitle(t("Find"))
        self.a_find.setText(t("&Find…"))
        self.a_goto.setText(t("&Go to position…"))
        self.find.box.retranslate()
        self.reference_panel.retranslate()
        self.recent.rebuild()
        self.reference_dock.setWindowTitle(t("Reference layers"))
        self.a_add_reference.setText(t("Add &reference layer…"))
        self.hints.retranslate()
        if hasattr(self, "extras"):
            self.extras.retranslate()
        for dock, text in ((self.layers_dock, t("Layers")), (self.table_dock, t("Parcels")),
                           (self.assessment_dock, t("Assessment"))):
            dock.setWindowTitle(text)
        for tabs, texts in ((self.detail_tabs, (t("Assessment"), t("History"))),
                            (self.bottom_tabs, (t("Parcels"), t("Results")))):
            for i, text in enumerate(texts):
                tabs.setTabText(i, text)
        self.period_label.setText(t("Tax period:"))
        current = self.period.currentIndex()
        self.period.blockSignals(True)
        self.period.clear()
        self.period.addItems([t("Whole year"), t("First half"), t("Second half")])
        self.period.setCurrentIndex(max(current, 0))
        self.period.blockSignals(False)
        self.status.retranslate()
        for panel in (self.layers, self.table, self.assessment, self.history, self.results):
            panel.retranslate()
        self.lang_actions[i18n.current_language()].setChecked(True)
        self.canvas.set_language(i18n.current_language())
        self.update_zoneset_line()
        self.update_title()
        add_shortcuts_to_tooltips(self.findChildren(QAction))

    def set_language(self, lang: str) -> None:
        i18n.set_language(lang)
        self.settings.set(S.LANGUAGE, lang)
        self.retranslate()

    def _on_clean_changed(self, _clean: bool) -> None:
        # A dirty undo stack being destroyed (the document dropped at exit) emits cleanChanged
        # from its destructor, when its Python wrapper is already dead: nothing to show then.
        if shiboken6.isValid(self) and shiboken6.isValid(self.doc.stack):
            self.update_title()

    def _on_path_changed(self, _path: str) -> None:
        self.update_title()

    def update_title(self) -> None:
        path = self.doc.path          # a project file, or a database project's URL (no password in it)
        name = (getattr(path, "name", None) or str(path)) if path else self.tr("Untitled")
        self.setWindowTitle(f"{name}[*] — {self.tr('Urban land-use tax assessment')}")
        self.setWindowModified(self.doc.modified)

    def update_zoneset_line(self) -> None:
        self.status.show_zoneset()

    # ------------------------------------------------------------ updates
    def _tax_base_toggled(self, unrounded: bool) -> None:
        from zones.tax import TAX_BASE_ROUNDED, TAX_BASE_UNROUNDED

        self.doc.set_tax_base(TAX_BASE_UNROUNDED if unrounded else TAX_BASE_ROUNDED)

    def _on_changed(self, changes) -> None:
        unrounded = self.doc.project.tax_base != "rounded"
        if self.a_unrounded.isChecked() != unrounded:   # another project opened
            self.a_unrounded.blockSignals(True)
            self.a_unrounded.setChecked(unrounded)
            self.a_unrounded.blockSignals(False)
        if changes.zoneset:
            self.canvas.set_zoneset(self.doc.zoneset)
            self.layers.show_zoneset(self.doc.zoneset)
            self.zonesets.refresh_choices()
            self.update_zoneset_line()
            if self.year.value() != self.doc.project.period.year:
                self.year.blockSignals(True)
                self.year.setValue(self.doc.project.period.year)
                self.year.blockSignals(False)
        self.editing.refresh_parcels(changes)
        self.update_title()

    def fit_parcels(self) -> None:
        if len(self.doc.project):
            self.canvas.zoom_to_parcels()
        else:              # nothing to show yet: the urban core, where most parcels are
            self.canvas.zoom_to_core()

    # ------------------------------------------------------------- map
    def _show_parcel(self, uid: str) -> None:
        self.doc.selection.set([uid])
        self.canvas.zoom_to_selection()
        self.detail_tabs.setCurrentWidget(self.assessment)

    def set_tool(self, name: str) -> None:
        self.tool_actions[name].setChecked(True)
        self.canvas.set_tool(name)
        self.hints.show(name)

    def _snapping(self, on: bool) -> None:
        self.settings.set(S.SNAPPING, on)
        self.canvas.set_snapping(on)

    # -------------------------------------------------------------- help
    def show_log(self) -> None:
        from desktop.dialogs.log_dialog import LogDialog
        dlg = LogDialog(self)
        dlg.exec()
        dlg.deleteLater()

    def about(self) -> None:
        from zones import RULES_VERSION, __version__
        QMessageBox.about(self, self.tr("About"), self.tr("Urban land-use tax assessment for the Wenzhou urban area")
                          + f"\n{__version__} · rules {RULES_VERSION}")

    # ------------------------------------------------------------ closing
    def closeEvent(self, event) -> None:  # noqa: N802
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.doc.runner.cancel()
        self.doc.runner.wait()
        self.settings.set(S.WINDOW_GEOMETRY, self.saveGeometry())
        self.settings.set(S.WINDOW_STATE, self.saveState())
        self.settings.sync()
        self.doc.wait_autosave()
        if self.doc.recovery is not None:
            self.doc.recovery.release()     # a clean exit leaves no recovery copy (only its own: other copies run on)
        self.autosave_timer.stop()
        event.accept()

