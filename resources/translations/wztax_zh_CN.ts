<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AssessmentController</name>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="41" />
      <source>Assessment failed</source>
      <translation>计算失败</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="42" />
      <source>An assessment is already running</source>
      <translation>已有计算正在进行</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="83" />
      <source>Edit reliefs</source>
      <translation>修改减免</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="93" />
      <source>Assess the parcel before reviewing it</source>
      <translation>请先计算该地块再复核</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="100" />
      <source>Review (复核)</source>
      <translation>复核</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="100" />
      <source>Reviewer's name:</source>
      <translation>复核人姓名：</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="110" />
      <source>Operator</source>
      <translation>录入人</translation>
    </message>
    <message>
      <location filename="../../desktop/assessment_controller.py" line="110" />
      <source>Your name (recorded in the change history):</source>
      <translation>您的姓名（记入变更记录）：</translation>
    </message>
  </context>
  <context>
    <name>AssessmentPanel</name>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="48" />
      <source>Mark reviewed…</source>
      <translation>复核…</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="49" />
      <source>复核: record that a named reviewer checked this result</source>
      <translation>复核：记录复核人已核对此结果</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="71" />
      <source>Reviewed by %1 at %2</source>
      <translation>已由 %1 于 %2 复核</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="73" />
      <source>Entered by %1, not reviewed</source>
      <translation>录入人 %1，未复核</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="78" />
      <source>Select one parcel on the map or in the table to see its assessment.</source>
      <translation>在地图或表格中选择一宗地块以查看其计税结果。</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="82" />
      <source>Map area</source>
      <translation>图上面积</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="84" />
      <source>Not assessed yet.</source>
      <translation>尚未计算。</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Area (m²)</source>
      <translation>面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Rate (yuan/m²·year)</source>
      <translation>税额标准（元/m²·年）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Annual (yuan)</source>
      <translation>年税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Months</source>
      <translation>月数</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="91" />
      <source>Gross (yuan)</source>
      <translation>应纳税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="92" />
      <source>Relief (yuan)</source>
      <translation>减免（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="92" />
      <source>Due (yuan)</source>
      <translation>应缴（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="100" />
      <source>Total</source>
      <translation>合计</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="106" />
      <source>Amount due</source>
      <translation>应缴税额</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="106" />
      <source>yuan</source>
      <translation>元</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="111" />
      <source>In capitals on the tax documents</source>
      <translation>税务文书上的大写金额</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="115" />
      <source>months</source>
      <translation>个月</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="123" />
      <source>Before the zone-set / rate change</source>
      <translation>等级图/税额调整前</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="124" />
      <source>difference</source>
      <translation>差额</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="127" />
      <source>Months liable</source>
      <translation>应税月份</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="128" />
      <source>rule</source>
      <translation>规则</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="129" />
      <source>Zone set</source>
      <translation>土地等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="130" />
      <source>rules</source>
      <translation>规则</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="130" />
      <source>period</source>
      <translation>所属期</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="131" />
      <source>computed</source>
      <translation>计算于</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="132" />
      <source>tax base: each grade's area rounded to 0.01 m²</source>
      <translation>税基：各等级面积四舍五入到 0.01 m²</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="134" />
      <source>tax base: the unrounded map area (earlier rule)</source>
      <translation>税基：未经舍入的图上面积（旧规则）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="135" />
      <source>input file</source>
      <translation>输入文件</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="141" />
      <source>The amounts are computed from the unrounded map area: multiplying the two-decimal areas in the table may differ by up to %1 yuan.</source>
      <translation>应纳税额按未经舍入的图上面积计算，与表列两位小数面积相乘可能相差 %1 元。</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="144" />
      <source>Reliefs</source>
      <translation>减免</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="146" />
      <source>Check</source>
      <translation>提示</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="150" />
      <source>mu</source>
      <translation>亩</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="165" />
      <source>Certificate area</source>
      <translation>证载面积</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="166" />
      <source>Difference (map − certificate)</source>
      <translation>差额（图上 − 证载）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="167" />
      <source>Taxable area (sum of the grade rows)</source>
      <translation>计税面积（各等级行合计）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="169" />
      <source>Certificate area outside the grades</source>
      <translation>证载面积中等级范围外部分</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/assessment_panel.py" line="173" />
      <source>The certificate area is taxed, split over the grades in proportion to the map areas.</source>
      <translation>按证载面积计税，按各等级图上面积比例分摊。</translation>
    </message>
    <message>
      <source>rule (legal wording)</source>
      <translation>规则（法规原文）</translation>
    </message>
  </context>
  <context>
    <name>ConnectDialog</name>
    <message>
      <location filename="../../desktop/database_project.py" line="140" />
      <source>Open database project</source>
      <translation>打开数据库项目</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="147" />
      <source>Remember the password in the system keyring</source>
      <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="150" />
      <source>No system keyring here: the password is asked each time</source>
      <translation>本机没有系统密钥环：每次打开时询问密码</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="157" />
      <source>Server</source>
      <translation>服务器</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="157" />
      <source>Port</source>
      <translation>端口</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="158" />
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="158" />
      <source>Login</source>
      <translation>登录名</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="159" />
      <source>Project</source>
      <translation>项目</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="159" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="193" />
      <source>Please fill in: %1</source>
      <translation>请填写：%1</translation>
    </message>
  </context>
  <context>
    <name>CoordinatesDialog</name>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="193" />
      <source>Type boundary coordinates</source>
      <translation>录入界址点坐标</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="194" />
      <source>Coordinate system:</source>
      <translation>坐标系：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="195" />
      <source>Parcel no.:</source>
      <translation>宗地号：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="196" />
      <source>Paste table</source>
      <translation>粘贴表格</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="197" />
      <source>Add row</source>
      <translation>添加行</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="198" />
      <source>Check</source>
      <translation>检查</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="205" />
      <source>Point</source>
      <translation>点号</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="205" />
      <source>X (northing)</source>
      <translation>X（北坐标）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="205" />
      <source>Longitude</source>
      <translation>经度</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="206" />
      <source>Y (easting)</source>
      <translation>Y（东坐标）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="206" />
      <source>Latitude</source>
      <translation>纬度</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="230" />
      <source>Line %1 of the pasted text cannot be read: “%2” (X and Y must be numbers).</source>
      <translation>粘贴内容第 %1 行无法读取：“%2”（X、Y 必须是数字）。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="252" />
      <source>Row %1: X and Y must be numbers</source>
      <translation>第 %1 行：X、Y 必须是数字</translation>
    </message>
    <message>
      <source>CGCS2000 3° Gauss-Krüger, CM 120°E (EPSG:4549)</source>
      <translation>CGCS2000 3度带高斯-克吕格，中央经线 120°（EPSG:4549）</translation>
    </message>
    <message>
      <source>CGCS2000 3° Gauss-Krüger zone 40, with zone prefix (EPSG:4528)</source>
      <translation>CGCS2000 3度带高斯-克吕格第 40 带，横坐标带带号（EPSG:4528）</translation>
    </message>
    <message>
      <source>CGCS2000 longitude/latitude (EPSG:4490)</source>
      <translation>CGCS2000 经纬度（EPSG:4490）</translation>
    </message>
    <message>
      <source>WGS84 longitude/latitude (EPSG:4326)</source>
      <translation>WGS84 经纬度（EPSG:4326）</translation>
    </message>
    <message>
      <source>GCJ-02 longitude/latitude (Amap, Tencent)</source>
      <translation>GCJ-02 经纬度（高德、腾讯）</translation>
    </message>
    <message>
      <source>BD-09 longitude/latitude (Baidu)</source>
      <translation>BD-09 经纬度（百度）</translation>
    </message>
    <message>
      <source>At least 3 boundary points are needed.</source>
      <translation>至少需要 3 个界址点。</translation>
    </message>
    <message>
      <source>X and Y looked exchanged (X is the northing) and were swapped.</source>
      <translation>X、Y 看似颠倒（X 应为北坐标），已交换。</translation>
    </message>
    <message>
      <source>The coordinates do not fit %1: X (northing) should be %2–%3 m and Y (easting) %4–%5 m. Check the coordinate system.</source>
      <translation>坐标不符合 %1：X（北坐标）应在 %2–%3 米，Y（东坐标）应在 %4–%5 米。请检查坐标系。</translation>
    </message>
    <message>
      <source>Longitude and latitude were exchanged and were swapped.</source>
      <translation>经纬度颠倒，已交换。</translation>
    </message>
    <message>
      <source>The coordinates cannot be converted in this system.</source>
      <translation>坐标无法在此坐标系中换算。</translation>
    </message>
    <message>
      <source>The last point differs from the first: the outline was closed back to the first point.</source>
      <translation>末点与首点不同，已自动闭合到首点。</translation>
    </message>
    <message>
      <source>Fewer than 3 distinct points.</source>
      <translation>不同的界址点少于 3 个。</translation>
    </message>
    <message>
      <source>The outline crosses itself or is not valid (%1).</source>
      <translation>界线自相交或无效（%1）。</translation>
    </message>
    <message>
      <source>The area is zero.</source>
      <translation>面积为零。</translation>
    </message>
    <message>
      <source>The parcel lies outside the land-grade map; check the coordinate system.</source>
      <translation>地块不在土地等级图范围内，请检查坐标系。</translation>
    </message>
    <message>
      <source>Area %1 m², %2 boundary points.</source>
      <translation>面积 %1 m²，%2 个界址点。</translation>
    </message>
  </context>
  <context>
    <name>DatabaseProjects</name>
    <message>
      <location filename="../../desktop/database_project.py" line="241" />
      <source>Open &amp;database project…</source>
      <translation>打开数据库项目(&amp;D)…</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="273" />
      <source>Cannot open the database project %1</source>
      <translation>无法打开数据库项目 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="450" />
      <source>Saving to the database</source>
      <translation>正在保存到数据库</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="481" />
      <source>The change was not saved to the database</source>
      <translation>修改未保存到数据库</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="505" />
      <source>Parcel %1 was deleted by someone else while you edited it. Your change was not saved; it is still in this window.</source>
      <translation>您编辑期间，地块 %1 已被他人删除。您的修改未保存，仍保留在本窗口中。</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="509" />
      <source>Parcel %1 was changed by %2 while you edited it. Your change was not saved; it is still in this window. Keep yours (saved over theirs) or take theirs?</source>
      <translation>您编辑期间，地块 %1 已被 %2 修改并保存。您的修改未保存，仍保留在本窗口中。保留您的修改（覆盖对方的），还是采用对方的修改？</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="516" />
      <source>yours</source>
      <translation>您的</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="519" />
      <source>outline</source>
      <translation>界址</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="528" />
      <source>Changed by someone else</source>
      <translation>已被他人修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="531" />
      <source>Keep mine</source>
      <translation>保留我的修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="532" />
      <source>Take theirs</source>
      <translation>采用对方的修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="533" />
      <source>Decide later</source>
      <translation>稍后决定</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="597" />
      <source>Offline changes</source>
      <translation>离线修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="598" />
      <source>Changes to this project were kept on this computer while the server was away. Send them now?</source>
      <translation>服务器不可用期间，本项目的修改保存在本机。现在发送到服务器吗？</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="613" />
      <source>Cannot apply the offline changes</source>
      <translation>无法发送离线修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="622" />
      <source>Offline: changes kept on this computer, sent when the server is back</source>
      <translation>离线：修改保存在本机，服务器恢复后自动发送</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="625" />
      <source>Not saved: parcel %1 was changed by someone else</source>
      <translation>未保存：地块 %1 已被他人修改</translation>
    </message>
    <message>
      <location filename="../../desktop/database_project.py" line="629" />
      <source>Database: %1 (connected)</source>
      <translation>数据库：%1（已连接）</translation>
    </message>
  </context>
  <context>
    <name>Document</name>
    <message>
      <location filename="../../desktop/document.py" line="231" />
      <source>Assessing parcels</source>
      <translation>正在计算地块</translation>
    </message>
  </context>
  <context>
    <name>DuplicateDialog</name>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="23" />
      <source>Parcels already in the project</source>
      <translation>项目中已有的宗地</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="24" />
      <source>%1 of the records in %2 have a parcel no. or real-estate unit no. that a parcel of the project already has. Importing them as well would tax those parcels twice.</source>
      <translation>%2 中有 %1 条记录的宗地号或不动产单元号与项目中已有的宗地相同。若一并导入，这些宗地将被重复计税。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="29" />
      <source>Same id</source>
      <translation>相同编号</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="29" />
      <source>In the file (row, taxpayer)</source>
      <translation>文件中（行号、纳税人）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="30" />
      <source>In the project (taxpayer)</source>
      <translation>项目中（纳税人）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="40" />
      <source>… and %1 more</source>
      <translation>……另有 %1 条</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="43" />
      <source>Replace</source>
      <translation>替换</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="44" />
      <source>Remove the project's parcels with these ids and import the file's</source>
      <translation>删除项目中编号相同的宗地，导入文件中的记录</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="45" />
      <source>Keep both</source>
      <translation>都保留</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="46" />
      <source>Import them too; both stay, flagged as duplicates</source>
      <translation>一并导入；两者都保留，并标记为重复</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="47" />
      <source>Skip</source>
      <translation>跳过</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/duplicate_dialog.py" line="48" />
      <source>Import only the file's other records</source>
      <translation>只导入文件中的其他记录</translation>
    </message>
  </context>
  <context>
    <name>EditParcel</name>
    <message>
      <location filename="../../desktop/commands.py" line="113" />
      <source>Edit parcel</source>
      <translation>修改地块</translation>
    </message>
  </context>
  <context>
    <name>EditingController</name>
    <message>
      <location filename="../../desktop/editing_controller.py" line="43" />
      <source>The drawing cannot be used</source>
      <translation>所绘图形无法使用</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="49" />
      <source>The drawn outline is not valid (it crosses itself)</source>
      <translation>所绘界线无效（自相交）</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="52" />
      <source>Draw parcel</source>
      <translation>绘制地块</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="69" />
      <source>The parcel changed while it was being edited; try again</source>
      <translation>编辑期间地块已改变，请重试</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="71" />
      <source>The edited outline is not valid (it crosses itself)</source>
      <translation>编辑后的界线无效（自相交）</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="72" />
      <source>Move vertex</source>
      <translation>移动节点</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="72" />
      <source>Insert vertex</source>
      <translation>插入节点</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="73" />
      <source>Delete vertex</source>
      <translation>删除节点</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="73" />
      <source>Add hole</source>
      <translation>添加内洞</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="73" />
      <source>Edit vertices</source>
      <translation>编辑节点</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="163" />
      <source>Type coordinates</source>
      <translation>录入坐标</translation>
    </message>
    <message>
      <location filename="../../desktop/editing_controller.py" line="171" />
      <source>Deleted %1 parcels (Ctrl+Z undoes)</source>
      <translation>已删除 %1 宗（Ctrl+Z 撤销）</translation>
    </message>
  </context>
  <context>
    <name>FileActions</name>
    <message>
      <location filename="../../desktop/file_actions.py" line="61" />
      <source>Unsaved changes</source>
      <translation>未保存的修改</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="61" />
      <source>The project has unsaved changes. Save them?</source>
      <translation>项目有未保存的修改。是否保存？</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="76" />
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="82" />
      <source>Cannot open the project %1</source>
      <translation>无法打开项目 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="93" />
      <source>Save project as</source>
      <translation>项目另存为</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="103" />
      <source>Cannot save the project to %1</source>
      <translation>无法将项目保存到 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="107" />
      <source>Saved %1</source>
      <translation>已保存 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="125" />
      <source>Import parcels</source>
      <translation>导入地块</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="146" />
      <source>Cannot import %1</source>
      <translation>无法导入 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="182" />
      <source>the coordinate system of the file is not known</source>
      <translation>文件的坐标系未知</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="228" />
      <source>Import cancelled; the project is unchanged</source>
      <translation>导入已取消；项目未作任何改动</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="235" />
      <source>The import starts when the running task has finished</source>
      <translation>运行中的任务完成后开始导入</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="250" />
      <source>Preparing the imported parcels</source>
      <translation>正在生成导入的地块</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="278" />
      <source>Import %1 parcels</source>
      <translation>导入 %1 宗地块</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="288" />
      <source>Imported %1 parcels from %2; %3 records skipped</source>
      <translation>已从 %2 导入 %1 宗地块；跳过 %3 条记录</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="291" />
      <source>; %1 parcels of the project replaced</source>
      <translation>；替换了项目中的 %1 宗</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="293" />
      <source>; %1 records already in the project skipped</source>
      <translation>；跳过项目中已有的 %1 条记录</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="327" />
      <source>Export results</source>
      <translation>导出结果</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="333" />
      <source>Cannot export to %1</source>
      <translation>无法导出到 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="335" />
      <source>Exported %1</source>
      <translation>已导出 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="356" />
      <source>Select an assessed parcel first</source>
      <translation>请先选择已计算的地块</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="365" />
      <source>Save report as PDF</source>
      <translation>报表保存为 PDF</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="376" />
      <source>Print preview</source>
      <translation>打印预览</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="376" />
      <source>Print</source>
      <translation>打印</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="389" />
      <source>Cannot make the report</source>
      <translation>无法生成报表</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="395" />
      <source>Report cancelled; no file was written</source>
      <translation>已取消报表，未写入任何文件</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="400" />
      <source>Writing reports</source>
      <translation>正在生成报表</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="401" />
      <source>Another task is running; try again when it has finished</source>
      <translation>另一项任务正在进行，请在其完成后再试</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="411" />
      <source>Recovery copy set aside</source>
      <translation>恢复副本已移开</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="412" />
      <source>A recovery copy was not written by this application and was set aside: %1 (%2)</source>
      <translation>有一份恢复副本不是本程序写入的，已移到别处：%1（%2）</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="429" />
      <source>The application did not close normally. A recovery copy of %3 from %1 with %2 parcels exists. Restore it?</source>
      <translation>程序上次未正常关闭。项目“%3”有 %1 自动保存的副本（%2 宗地块）。是否恢复？</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="432" />
      <source>the untitled project</source>
      <translation>未命名项目</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="433" />
      <source>Restore unsaved work</source>
      <translation>恢复未保存的工作</translation>
    </message>
    <message>
      <location filename="../../desktop/file_actions.py" line="446" />
      <source>Cannot restore the recovery copy</source>
      <translation>无法恢复自动保存的副本</translation>
    </message>
    <message>
      <source>The application did not close normally. A recovery copy from %1 with %2 parcels exists. Restore it?</source>
      <translation>程序上次未正常关闭。存在 %1 自动保存的副本（%2 宗地块）。是否恢复？</translation>
    </message>
  </context>
  <context>
    <name>FindController</name>
    <message>
      <location filename="../../desktop/find/search_box.py" line="40" />
      <source>Position</source>
      <translation>坐标</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="40" />
      <source>Parcel</source>
      <translation>宗地</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="40" />
      <source>District</source>
      <translation>行政区</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="40" />
      <source>Road</source>
      <translation>道路</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="41" />
      <source>River</source>
      <translation>河道</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="41" />
      <source>Bridge</source>
      <translation>桥</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="41" />
      <source>Landmark</source>
      <translation>地标</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="41" />
      <source>Place</source>
      <translation>地名</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="42" />
      <source>Junction</source>
      <translation>路口</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="52" />
      <source>Go to</source>
      <translation>转到</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="65" />
      <source>Parcel %1</source>
      <translation>宗地 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="75" />
      <source>%1 (%2): position within about ±%3 m; source: %4</source>
      <translation>%1（%2）：位置约 ±%3 m；来源：%4</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="93" />
      <source>outside the grades</source>
      <translation>征税范围以外</translation>
    </message>
  </context>
  <context>
    <name>GotoDialog</name>
    <message>
      <location filename="../../desktop/dialogs/goto_dialog.py" line="32" />
      <source>Go to position</source>
      <translation>转到坐标</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/goto_dialog.py" line="33" />
      <source>Type a longitude and latitude (120.6795 28.0141, or 120°40′46″ 28°0′51″), or CGCS2000 plane coordinates X (northing) and Y (easting), e.g. 3100192.65 566829.16; the zone number 40 may stand in front of Y.</source>
      <translation>输入经度和纬度（如 120.6795 28.0141，或 120°40′46″ 28°0′51″），或 CGCS2000 平面坐标 X（北坐标）和 Y（东坐标），如 3100192.65 566829.16；Y 前可带带号 40。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/goto_dialog.py" line="48" />
      <source>Read as: %1</source>
      <translation>读作：%1</translation>
    </message>
  </context>
  <context>
    <name>GuideAction</name>
    <message>
      <location filename="../../desktop/guide.py" line="70" />
      <source>&amp;Quick start</source>
      <translation>快速入门(&amp;Q)</translation>
    </message>
  </context>
  <context>
    <name>GuideDialog</name>
    <message>
      <location filename="../../desktop/guide.py" line="47" />
      <source>Quick start</source>
      <translation>快速入门</translation>
    </message>
  </context>
  <context>
    <name>HistoryPanel</name>
    <message>
      <location filename="../../desktop/panels/history_panel.py" line="29" />
      <source>When</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/history_panel.py" line="29" />
      <source>Who</source>
      <translation>人员</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/history_panel.py" line="29" />
      <source>What</source>
      <translation>内容</translation>
    </message>
  </context>
  <context>
    <name>ImportDialog</name>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="127" />
      <source>(detect)</source>
      <translation>（自动识别）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="129" />
      <source>(as stated / detected)</source>
      <translation>（按文件声明 / 自动判断）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="146" />
      <source>Import parcels</source>
      <translation>导入地块</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="147" />
      <source>File:</source>
      <translation>文件：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="147" />
      <source>Layer:</source>
      <translation>图层：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="147" />
      <source>Text encoding:</source>
      <translation>文字编码：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="148" />
      <source>Coordinate system:</source>
      <translation>坐标系：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="150" />
      <source>Read again with these settings</source>
      <translation>按以上设置重新读取</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="151" />
      <source>Attribute values of the first %1 records, as decoded:</source>
      <translation>前 %1 条记录的属性值（按所选编码解码）：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="152" />
      <source>Problems found:</source>
      <translation>发现的问题：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="153" />
      <source>Record</source>
      <translation>记录</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="153" />
      <source>Severity</source>
      <translation>级别</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="153" />
      <source>Problem type</source>
      <translation>问题类型</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="153" />
      <source>Details</source>
      <translation>详细说明</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="158" />
      <source>info</source>
      <translation>提示</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="158" />
      <source>warning</source>
      <translation>警告</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="158" />
      <source>error (skipped)</source>
      <translation>错误（已跳过）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="163" />
      <source>area differs from the stated area</source>
      <translation>面积与记载面积不符</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="164" />
      <source>unusable coordinates</source>
      <translation>坐标无效</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="165" />
      <source>not a number</source>
      <translation>数值无法识别</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="166" />
      <source>feature codes ignored</source>
      <translation>已忽略地物编码</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="167" />
      <source>conflicting coordinate systems</source>
      <translation>坐标系相互矛盾</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="168" />
      <source>coordinate system in the header</source>
      <translation>文件头中的坐标系</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="169" />
      <source>coordinate system set by the user</source>
      <translation>用户指定坐标系</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="170" />
      <source>datum not shifted</source>
      <translation>未做基准转换</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="171" />
      <source>duplicate parcel no.</source>
      <translation>宗地号重复</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="172" />
      <source>duplicate boundary point</source>
      <translation>界址点重复</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="173" />
      <source>two columns mean one attribute</source>
      <translation>多列表示同一项目</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="174" />
      <source>no outline</source>
      <translation>无图形</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="175" />
      <source>text encoding</source>
      <translation>文字编码</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="176" />
      <source>extra part</source>
      <translation>多余部分</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="177" />
      <source>far from the zones</source>
      <translation>远离土地等级范围</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="178" />
      <source>hole</source>
      <translation>内环（挖空）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="179" />
      <source>cannot import</source>
      <translation>无法导入</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="180" />
      <source>label</source>
      <translation>注记</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="181" />
      <source>local coordinate system</source>
      <translation>疑似地方坐标系</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="182" />
      <source>no parcel no.</source>
      <translation>缺少宗地号</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="183" />
      <source>new ring</source>
      <translation>新环</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="184" />
      <source>not an area outline</source>
      <translation>不是面状图形</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="185" />
      <source>outline not closed</source>
      <translation>图形未闭合</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="186" />
      <source>overlaps another parcel</source>
      <translation>与其他宗地重叠</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="187" />
      <source>point count differs</source>
      <translation>点数不符</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="188" />
      <source>invalid outline repaired</source>
      <translation>图形无效，已修复</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="189" />
      <source>outline crosses itself</source>
      <translation>图形自相交</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="190" />
      <source>skipped</source>
      <translation>已跳过</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="191" />
      <source>too few points</source>
      <translation>点数过少</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="192" />
      <source>heights dropped</source>
      <translation>已舍弃高程</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="197" />
      <source>stated in the file</source>
      <translation>文件声明</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="197" />
      <source>chosen by you</source>
      <translation>用户指定</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="198" />
      <source>inferred from the coordinates</source>
      <translation>由坐标推断</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="198" />
      <source>unknown</source>
      <translation>未知</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="199" />
      <source>from the .cpg file</source>
      <translation>取自 .cpg 文件</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="199" />
      <source>from the .dbf language id</source>
      <translation>取自 .dbf 语言标识</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="200" />
      <source>detected</source>
      <translation>自动识别</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="200" />
      <source>UTF-8 by format</source>
      <translation>格式规定为 UTF-8</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="201" />
      <source>from the DXF header</source>
      <translation>取自 DXF 文件头</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="228" />
      <source>Reading the file</source>
      <translation>正在读取文件</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="254" />
      <source>Reading and checking the file… %1 s</source>
      <translation>正在读取并检查文件… %1 秒</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="279" />
      <source>Cannot import this file:</source>
      <translation>无法导入此文件：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="287" />
      <source>undecided</source>
      <translation>未确定</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="290" />
      <source>Decision: %1</source>
      <translation>判定：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="292" />
      <source>; candidate %1</source>
      <translation>；可能为 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="296" />
      <source>%1 parcels can be imported; %2 records skipped; encoding %3</source>
      <translation>可导入 %1 宗地块；跳过 %2 条记录；文字编码 %3</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="307" />
      <source>Two columns mean one attribute that changes the tax (%1): keep one of them in a copy of the file and import that.</source>
      <translation>有多列表示同一个会改变税额的项目（%1）：请在文件副本中只保留其中一列，再导入副本。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="313" />
      <source>Choose the coordinate system, then read again.</source>
      <translation>请选择坐标系，然后重新读取。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="316" />
      <source>The coordinate system was inferred from the coordinates: check it before accepting.</source>
      <translation>坐标系是根据坐标值推断的：请核对后再确定。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="320" />
      <source>Attribute text read as %1</source>
      <translation>属性文字按 %1 读取</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="338" />
      <source>Columns %1 all mean %2; the tax would depend on which is read</source>
      <translation>列 %1 都表示%2；读取哪一列会改变税额</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="340" />
      <source>Columns %1 all mean %2; %3 is read, the others are not</source>
      <translation>列 %1 都表示%2；读取 %3，其余列不读取</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/import_dialog.py" line="342" />
      <source>error (import refused)</source>
      <translation>错误（拒绝导入）</translation>
    </message>
    <message>
      <source>Decision: %1 — %2</source>
      <translation>判定：%1 — %2</translation>
    </message>
    <message>
      <source>candidate</source>
      <translation>候选</translation>
    </message>
  </context>
  <context>
    <name>LayersPanel</name>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="59" />
      <source>Land grades</source>
      <translation>土地等级</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="59" />
      <source>Districts</source>
      <translation>行政区界</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="60" />
      <source>Boundary roads and rivers</source>
      <translation>分界道路和河道</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="61" />
      <source>Accuracy band along grade lines</source>
      <translation>等级线定位误差带</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="61" />
      <source>Parcels</source>
      <translation>地块</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="65" />
      <source>Shown on the map</source>
      <translation>地图显示</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="66" />
      <source>Zone set</source>
      <translation>土地等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="67" />
      <source>Active:</source>
      <translation>当前：</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="68" />
      <source>Load official grade map…</source>
      <translation>载入官方等级图…</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="89" />
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="90" />
      <source>Rates (yuan/m²·year)</source>
      <translation>税额标准（元/m²·年）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="91" />
      <source>Legal basis</source>
      <translation>依据</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="92" />
      <source>Official</source>
      <translation>官方</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="92" />
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/layers_panel.py" line="92" />
      <source>no</source>
      <translation>否</translation>
    </message>
  </context>
  <context>
    <name>LogDialog</name>
    <message>
      <location filename="../../desktop/dialogs/log_dialog.py" line="15" />
      <source>Log</source>
      <translation>日志</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/log_dialog.py" line="23" />
      <source>Copy all</source>
      <translation>全部复制</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="../../desktop/main_window.py" line="246" />
      <source>Reference layer</source>
      <translation>参考图层</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="296" />
      <source>&amp;New project</source>
      <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="296" />
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="297" />
      <source>Open &amp;sample project</source>
      <translation>打开示例项目(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="297" />
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="298" />
      <source>Save &amp;as…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="298" />
      <source>&amp;Import parcels…</source>
      <translation>导入地块(&amp;I)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="299" />
      <source>&amp;Type coordinates…</source>
      <translation>录入界址点坐标(&amp;T)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="299" />
      <source>&amp;Export results…</source>
      <translation>导出结果(&amp;E)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="300" />
      <source>Print pre&amp;view (selected parcel)…</source>
      <translation>打印预览（所选地块）(&amp;V)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="301" />
      <source>&amp;Print (selected parcel)…</source>
      <translation>打印（所选地块）(&amp;P)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="301" />
      <source>Save report as PDF (selected parcel)…</source>
      <translation>报表保存为 PDF（所选地块）…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="302" />
      <source>Print preview (all parcels)…</source>
      <translation>打印预览（全部地块）…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="302" />
      <source>Save report as PDF (all parcels)…</source>
      <translation>报表保存为 PDF（全部地块）…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="303" />
      <source>Print (all parcels)…</source>
      <translation>打印（全部宗地）…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="304" />
      <source>Print the taxpayer's parcels…</source>
      <translation>打印该纳税人的全部宗地…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="305" />
      <source>Save report as PDF (the taxpayer's parcels)…</source>
      <translation>保存该纳税人全部宗地的报告为 PDF…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="306" />
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="306" />
      <source>&amp;Delete parcel</source>
      <translation>删除地块(&amp;D)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="307" />
      <source>Edit &amp;reliefs…</source>
      <translation>编辑减免(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="307" />
      <source>Mark re&amp;viewed…</source>
      <translation>标记复核(&amp;V)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="308" />
      <source>Officer and tax office…</source>
      <translation>经办人和税务所…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="308" />
      <source>&amp;Assess all</source>
      <translation>全部计算(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="309" />
      <source>&amp;Cancel assessment</source>
      <translation>取消计算(&amp;C)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="310" />
      <source>Tax on the &amp;unrounded map area (earlier rule)</source>
      <translation>按未经舍入的图上面积计税（旧规则）(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="310" />
      <source>Zoom to zones</source>
      <translation>缩放至等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="311" />
      <source>Zoom to parcels</source>
      <translation>缩放至地块</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="311" />
      <source>Zoom to selection</source>
      <translation>缩放至所选</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="312" />
      <source>Snap to vertices and grade lines</source>
      <translation>捕捉节点和等级线</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="312" />
      <source>Show legend</source>
      <translation>显示图例</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="312" />
      <source>Show &amp;log</source>
      <translation>查看日志(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="313" />
      <source>&amp;About</source>
      <translation>关于(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="316" />
      <source>Pan</source>
      <translation>平移</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="316" />
      <source>Zoom box</source>
      <translation>框选放大</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="316" />
      <source>Select</source>
      <translation>选择</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="316" />
      <source>Draw parcel</source>
      <translation>绘制地块</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="317" />
      <source>Add hole</source>
      <translation>添加内洞</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="317" />
      <source>Edit vertices</source>
      <translation>编辑节点</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="317" />
      <source>Measure distance and area</source>
      <translation>量算距离和面积</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="320" />
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="321" />
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="322" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="322" />
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="322" />
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="323" />
      <source>&amp;Assess</source>
      <translation>计算(&amp;A)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="323" />
      <source>&amp;Language</source>
      <translation>语言(&amp;L)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="323" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="325" />
      <source>Tools</source>
      <translation>工具</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="326" />
      <source>Find</source>
      <translation>查找</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="327" />
      <source>&amp;Find…</source>
      <translation>查找(&amp;F)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="328" />
      <source>&amp;Go to position…</source>
      <translation>转到坐标(&amp;G)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="332" />
      <source>Reference layers</source>
      <translation>参考图层</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="333" />
      <source>Add &amp;reference layer…</source>
      <translation>添加参考图层(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="337" />
      <source>Layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="337" />
      <source>Parcels</source>
      <translation>地块</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="338" />
      <source>Assessment</source>
      <translation>计税结果</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="340" />
      <source>History</source>
      <translation>变更记录</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="341" />
      <source>Results</source>
      <translation>计算结果</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="344" />
      <source>Tax period:</source>
      <translation>税款所属期：</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="348" />
      <source>Whole year</source>
      <translation>全年</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="348" />
      <source>First half</source>
      <translation>上半年</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="348" />
      <source>Second half</source>
      <translation>下半年</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="376" />
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="377" />
      <source>Urban land-use tax assessment</source>
      <translation>城镇土地使用税计税</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="437" />
      <source>About</source>
      <translation>关于</translation>
    </message>
    <message>
      <location filename="../../desktop/main_window.py" line="437" />
      <source>Urban land-use tax assessment for the Wenzhou urban area</source>
      <translation>温州市区城镇土地使用税计税程序</translation>
    </message>
    <message>
      <source>Operator name…</source>
      <translation>录入人姓名…</translation>
    </message>
  </context>
  <context>
    <name>MarkReviewed</name>
    <message>
      <location filename="../../desktop/commands.py" line="125" />
      <source>Mark reviewed</source>
      <translation>标记复核</translation>
    </message>
  </context>
  <context>
    <name>Navigator</name>
    <message>
      <location filename="../../desktop/navigation.py" line="47" />
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <location filename="../../desktop/navigation.py" line="48" />
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <location filename="../../desktop/navigation.py" line="49" />
      <source>Whole tax area</source>
      <translation>全图（整个征收范围）</translation>
    </message>
    <message>
      <location filename="../../desktop/navigation.py" line="50" />
      <source>Street scale</source>
      <translation>街道比例</translation>
    </message>
  </context>
  <context>
    <name>OfficerDialog</name>
    <message>
      <location filename="../../desktop/officer.py" line="43" />
      <source>Officer and tax office</source>
      <translation>经办人和税务所</translation>
    </message>
    <message>
      <location filename="../../desktop/officer.py" line="44" />
      <source>Welcome. Your name is printed as the handling officer on the reports and recorded with each change you make; the tax office goes with it. You can change both later under Edit → Officer and tax office.</source>
      <translation>欢迎使用。您的姓名将作为“经办人”印在报表上，并记入您所做的每项修改；税务所一并记录。以后可在“编辑 → 经办人和税务所”中修改。</translation>
    </message>
    <message>
      <location filename="../../desktop/officer.py" line="47" />
      <source>Your name is printed as the handling officer on the reports and recorded with each change.</source>
      <translation>您的姓名将作为“经办人”印在报表上，并记入每项修改。</translation>
    </message>
    <message>
      <location filename="../../desktop/officer.py" line="48" />
      <source>Your name:</source>
      <translation>姓名：</translation>
    </message>
    <message>
      <location filename="../../desktop/officer.py" line="49" />
      <source>Tax office:</source>
      <translation>税务所：</translation>
    </message>
  </context>
  <context>
    <name>ParcelNumberPrompt</name>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="45" />
      <source>Parcel no. of the new parcel:</source>
      <translation>新地块的宗地号：</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="46" />
      <source>Parcel no., e.g. 330302001001GB00001</source>
      <translation>宗地号，例如 330302001001GB00001</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="47" />
      <source>OK</source>
      <translation>确定</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="48" />
      <source>Skip (%1)</source>
      <translation>跳过（%1）</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="49" />
      <source>Leave the parcel without a parcel no.; it is shown as %1 (Esc)</source>
      <translation>暂不编号，地块显示为“%1”（Esc）</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_number_prompt.py" line="68" />
      <source>Parcel no. %1</source>
      <translation>宗地号 %1</translation>
    </message>
  </context>
  <context>
    <name>ParcelTableModel</name>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="122" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="127" />
      <source>Map area (m²)</source>
      <translation>图上面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="127" />
      <source>Area (mu)</source>
      <translation>面积（亩）</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="128" />
      <source>First liable month</source>
      <translation>应税起始月份</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="128" />
      <source>Tax due (yuan)</source>
      <translation>应缴税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="179" />
      <source>unreadable month</source>
      <translation>年月无法识别</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="194" />
      <source>error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="208" />
      <source>not assessed</source>
      <translation>未计算</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="209" />
      <source>reviewed</source>
      <translation>已复核</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="209" />
      <source>entered</source>
      <translation>已录入</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="227" />
      <source>Not a month</source>
      <translation>不是有效年月</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="228" />
      <source>Enter a year and month like 2024-07.</source>
      <translation>请输入年月，例如 2024-07。</translation>
    </message>
    <message>
      <location filename="../../desktop/parcel_table_model.py" line="239" />
      <source>Edit %1</source>
      <translation>修改%1</translation>
    </message>
  </context>
  <context>
    <name>RecentProjects</name>
    <message>
      <location filename="../../desktop/recent_projects.py" line="44" />
      <source>Recent projects</source>
      <translation>最近打开的项目</translation>
    </message>
    <message>
      <location filename="../../desktop/recent_projects.py" line="51" />
      <source>&amp;%1 %2  —  database %3 on %4</source>
      <translation>&amp;%1 %2  —  数据库 %3（%4）</translation>
    </message>
    <message>
      <location filename="../../desktop/recent_projects.py" line="62" />
      <source>(none yet)</source>
      <translation>（暂无）</translation>
    </message>
    <message>
      <location filename="../../desktop/recent_projects.py" line="65" />
      <source>Clear the list</source>
      <translation>清除列表</translation>
    </message>
  </context>
  <context>
    <name>ReconcileActions</name>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="34" />
      <source>Land sources &amp;reconciliation (税源比对)…</source>
      <translation>税源比对(&amp;R)…</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="45" />
      <source>Load parcels and a zone set first</source>
      <translation>请先载入宗地和等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="47" />
      <source>Choose the registered land sources (税源明细)</source>
      <translation>选择登记税源（税源明细）</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="48" />
      <source>Registry (*.xlsx *.csv)</source>
      <translation>税源明细 (*.xlsx *.csv)</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="74" />
      <source>Cannot reconcile</source>
      <translation>无法进行税源比对</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/actions.py" line="76" />
      <source>Reconciling with the registry</source>
      <translation>正在进行税源比对</translation>
    </message>
    <message>
      <source>Reconciliation</source>
      <translation>税源比对</translation>
    </message>
  </context>
  <context>
    <name>ReconcileDialog</name>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="98" />
      <source>Land sources reconciliation</source>
      <translation>税源比对</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="103" />
      <source>All statuses</source>
      <translation>全部状态</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="166" />
      <source>Show:</source>
      <translation>显示：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="167" />
      <source>Map split and registered areas, grade by grade (m²)</source>
      <translation>分等级图上面积与登记面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="168" />
      <source>Registered rows</source>
      <translation>登记税源明细行</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="169" />
      <source>Grade</source>
      <translation>等级</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="169" />
      <source>Map area</source>
      <translation>图上面积</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="169" />
      <source>Registered area</source>
      <translation>登记面积</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="169" />
      <source>Difference</source>
      <translation>差额</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="170" />
      <source>Zone-set rate</source>
      <translation>等级图税额标准</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="170" />
      <source>Registered rate</source>
      <translation>登记税额标准</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="171" />
      <source>Row</source>
      <translation>行号</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="171" />
      <source>Area (m²)</source>
      <translation>面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="171" />
      <source>Rate</source>
      <translation>税额标准</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="171" />
      <source>Taxpayer</source>
      <translation>纳税人</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="172" />
      <source>Save results…</source>
      <translation>保存比对结果…</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="173" />
      <source>Save report PDF…</source>
      <translation>保存报告 PDF…</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="174" />
      <source>Print…</source>
      <translation>打印…</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="175" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="201" />
      <source>No parcel in the cadastre for this registry key</source>
      <translation>地籍中无此登记键对应的宗地</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="223" />
      <source>Difference / year: %1 yuan; back tax: %2 yuan (%3)</source>
      <translation>年差额：%1 元；补税额：%2 元（%3）</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="228" />
      <source>Late fee: %1 yuan (%2)</source>
      <translation>滞纳金：%1 元（%2）</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="235" />
      <source>Save results</source>
      <translation>保存比对结果</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="245" />
      <source>project parcels</source>
      <translation>本项目宗地</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/dialog.py" line="250" />
      <source>Save report PDF</source>
      <translation>保存报告 PDF</translation>
    </message>
  </context>
  <context>
    <name>ReconcileOptionsDialog</name>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="99" />
      <source>Reconciliation options</source>
      <translation>比对选项</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="100" />
      <source>Tax years:</source>
      <translation>税款所属年度：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="100" />
      <source>Area tolerance (m²):</source>
      <translation>面积容差（m²）：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="100" />
      <source>Claim period (追征期):</source>
      <translation>追征期：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="100" />
      <source>Late fee per day (滞纳金):</source>
      <translation>滞纳金（每日）：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="101" />
      <source>Counted to:</source>
      <translation>计算截止日：</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="104" />
      <source>to</source>
      <translation>至</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="105" />
      <source>limit to the last</source>
      <translation>只追征最近</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="106" />
      <source> years</source>
      <translation> 年</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="107" />
      <source>charge</source>
      <translation>加收</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="108" />
      <source>Back tax sums each year's difference on the zone set and rates in force that year. The claim period and late fees are off unless ticked; the rule used is printed on the report.</source>
      <translation>补税额为各年按当年适用的等级图和税额标准计算的差额之和。追征期和滞纳金除非勾选，否则不计；所用规则印在报告上。</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="127" />
      <source>The late fee rate “%1” is not a number, e.g. 0.0005</source>
      <translation>滞纳金比例“%1”不是数字，例如 0.0005</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="130" />
      <source>The late fee rate must be between 0 and 1 a day, e.g. 0.0005</source>
      <translation>滞纳金比例须在每日 0 到 1 之间，例如 0.0005</translation>
    </message>
    <message>
      <location filename="../../desktop/reconcile/options.py" line="145" />
      <source>The zone set has no legal basis for %1 (it applies: %2); the tax of those years cannot be computed on it.</source>
      <translation>等级图在 %1 年没有法律依据（适用期：%2），无法按它计算这些年度的税款。</translation>
    </message>
  </context>
  <context>
    <name>ReferenceLayersPanel</name>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="36" />
      <source>Add reference layer…</source>
      <translation>添加参考图层…</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="37" />
      <source>A street map, imagery or the land department's parcel map as a background under the grades (shp, gpkg, geojson, kml, dxf, GeoTIFF, MBTiles)</source>
      <translation>把街道图、影像或自然资源部门的宗地图作为底图放在土地等级下面（shp、gpkg、geojson、kml、dxf、GeoTIFF、MBTiles）</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="40" />
      <source>No reference layers. Add the office's street map, imagery or parcel map to see where you are.</source>
      <translation>还没有参考图层。添加单位的街道图、影像或宗地图，便于在地图上找到位置。</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="47" />
      <source>Maps (%1)</source>
      <translation>地图 (%1)</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="48" />
      <source>Vector layers (%1)</source>
      <translation>矢量图层 (%1)</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="49" />
      <source>Images (%1)</source>
      <translation>影像 (%1)</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="53" />
      <source>Add reference layer</source>
      <translation>添加参考图层</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="67" />
      <source>File not found or unreadable: %1</source>
      <translation>文件不存在或无法读取：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="73" />
      <source>Opacity</source>
      <translation>不透明度</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="76" />
      <source>Label field</source>
      <translation>标注字段</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="78" />
      <source>(no labels)</source>
      <translation>（不标注）</translation>
    </message>
    <message>
      <location filename="../../desktop/reference_layers/panel.py" line="85" />
      <source>Remove this reference layer</source>
      <translation>移除此参考图层</translation>
    </message>
  </context>
  <context>
    <name>ReliefsDialog</name>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="45" />
      <source>Reliefs</source>
      <translation>减免</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="46" />
      <source>Relief</source>
      <translation>减免</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="46" />
      <source>Relief area (m²)</source>
      <translation>减免面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="47" />
      <source>From (YYYY-MM)</source>
      <translation>起始（年-月）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="47" />
      <source>To (YYYY-MM)</source>
      <translation>终止（年-月）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="49" />
      <source>Empty = the whole taxable area</source>
      <translation>空 = 全部面积（整宗地的计税面积）</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="49" />
      <source>Empty = the first liable month</source>
      <translation>空 = 从应税起始月份起</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="50" />
      <source>Empty = the last liable month</source>
      <translation>空 = 至应税终止月份止</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="56" />
      <source>Add relief</source>
      <translation>添加减免</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/reliefs_dialog.py" line="57" />
      <source>Remove</source>
      <translation>移除</translation>
    </message>
  </context>
  <context>
    <name>RemoveParcels</name>
    <message>
      <location filename="../../desktop/commands.py" line="61" />
      <source>Delete %n parcel(s)</source>
      <translation>删除 %n 宗地块</translation>
    </message>
  </context>
  <context>
    <name>ReportChecks</name>
    <message>
      <location filename="../../desktop/report_output.py" line="53" />
      <source>parcel no.</source>
      <translation>宗地号</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="53" />
      <source>taxpayer</source>
      <translation>纳税人</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="56" />
      <source>no %1</source>
      <translation>无%1</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="57" />
      <source> and </source>
      <translation>、</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="62" />
      <source>Print without parcel number or taxpayer?</source>
      <translation>打印缺少宗地号或纳税人的宗地？</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="63" />
      <source>%1 of the parcels to print lack a parcel number or a taxpayer:</source>
      <translation>要打印的宗地中有 %1 宗缺少宗地号或纳税人：</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="64" />
      <source>Print anyway?</source>
      <translation>仍要打印吗？</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="76" />
      <source>Report saved: %1</source>
      <translation>报表已保存：%1</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="77" />
      <source>Open file</source>
      <translation>打开文件</translation>
    </message>
    <message>
      <location filename="../../desktop/report_output.py" line="77" />
      <source>Open folder</source>
      <translation>打开所在文件夹</translation>
    </message>
    <message>
      <source>(no number)</source>
      <translation>（无宗地号）</translation>
    </message>
  </context>
  <context>
    <name>ResultsLayout</name>
    <message>
      <location filename="../../desktop/results_view.py" line="260" />
      <source>Assessment finished: %1 parcels, total due %2 yuan</source>
      <translation>全部计算完成：%1 宗地，应缴税额合计 %2 元</translation>
    </message>
    <message>
      <location filename="../../desktop/results_view.py" line="273" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context>
  <context>
    <name>ResultsPanel</name>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="70" />
      <source>Filter (parcel no., taxpayer, flag…)</source>
      <translation>筛选（宗地号、纳税人、提示…）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="71" />
      <source>Export…</source>
      <translation>导出…</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="80" />
      <source>%1 parcels assessed, total due %2 yuan</source>
      <translation>已计算 %1 宗，应缴合计 %2 元</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="108" />
      <source>outside the levy scope</source>
      <translation>部分在征税范围外</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="108" />
      <source>outline repaired</source>
      <translation>图形已修复</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="109" />
      <source>grade sliver</source>
      <translation>等级碎片</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="109" />
      <source>near a grade line</source>
      <translation>靠近等级界线</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="110" />
      <source>certificate area differs</source>
      <translation>证载面积不符</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="110" />
      <source>overlaps</source>
      <translation>与其他地块重叠</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="111" />
      <source>empty outline</source>
      <translation>图形为空</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="111" />
      <source>relief capped</source>
      <translation>减免面积已封顶</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="112" />
      <source>terms not applicable</source>
      <translation>申报事项无法适用</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="113" />
      <source>no liable month</source>
      <translation>本期无应税月份</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="113" />
      <source>duplicate id</source>
      <translation>编号重复</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="114" />
      <source>identifier fails its check</source>
      <translation>编号校验未通过</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="118" />
      <source>Parcel no.</source>
      <translation>宗地号</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="118" />
      <source>Taxpayer</source>
      <translation>纳税人名称</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="118" />
      <source>Map area (m²)</source>
      <translation>图上面积（m²）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="119" />
      <source>Months</source>
      <translation>月数</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="119" />
      <source>Gross (yuan)</source>
      <translation>应纳税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="119" />
      <source>Relief (yuan)</source>
      <translation>减免税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="120" />
      <source>Small-taxpayer relief (yuan)</source>
      <translation>小规模减征额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="120" />
      <source>Due (yuan)</source>
      <translation>应缴税额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="121" />
      <source>Change from before (yuan)</source>
      <translation>较上次差额（元）</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="121" />
      <source>Check</source>
      <translation>提示</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="122" />
      <source>Reviewed by</source>
      <translation>复核人</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="122" />
      <source>Error</source>
      <translation>错误</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="128" />
      <source>Grade %1</source>
      <translation>%1 级</translation>
    </message>
    <message>
      <location filename="../../desktop/panels/results_panel.py" line="129" />
      <source>%1 area (m²)</source>
      <translation>%1面积（m²）</translation>
    </message>
  </context>
  <context>
    <name>ResultsTableModel</name>
    <message>
      <location filename="../../desktop/results_table_model.py" line="77" />
      <source>Column in the export: %1</source>
      <translation>导出文件中的列名：%1</translation>
    </message>
  </context>
  <context>
    <name>SearchBox</name>
    <message>
      <location filename="../../desktop/find/search_box.py" line="119" />
      <source>Find: parcel no., taxpayer, address, place or coordinates</source>
      <translation>查找：宗地号、纳税人、地址、地名或坐标</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="120" />
      <source>Find a parcel (parcel no., real-estate unit no., taxpayer, address), a place in Wenzhou or a position (lon/lat or CGCS2000 X/Y); Enter goes to the first match</source>
      <translation>查找宗地（宗地号、不动产单元号、纳税人、地址）、温州地名或坐标（经纬度或 CGCS2000 X/Y）；回车转到第一个结果</translation>
    </message>
    <message>
      <location filename="../../desktop/find/search_box.py" line="155" />
      <source>Nothing found for “%1”</source>
      <translation>没有找到“%1”</translation>
    </message>
  </context>
  <context>
    <name>StatusLine</name>
    <message>
      <location filename="../../desktop/status_line.py" line="36" />
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <location filename="../../desktop/status_line.py" line="42" />
      <source>No zone set loaded</source>
      <translation>未载入土地等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/status_line.py" line="47" />
      <source>not official</source>
      <translation>非官方</translation>
    </message>
    <message>
      <location filename="../../desktop/status_line.py" line="48" />
      <source>Legal basis</source>
      <translation>依据</translation>
    </message>
    <message>
      <location filename="../../desktop/status_line.py" line="58" />
      <source>yuan/m²</source>
      <translation>元/m²</translation>
    </message>
    <message>
      <location filename="../../desktop/status_line.py" line="59" />
      <source>outside the grades</source>
      <translation>征税范围以外</translation>
    </message>
  </context>
  <context>
    <name>TaskRunner</name>
    <message>
      <location filename="../../desktop/tasks.py" line="111" />
      <source>Storing the results</source>
      <translation>正在保存计算结果</translation>
    </message>
  </context>
  <context>
    <name>ToolHints</name>
    <message>
      <location filename="../../desktop/tool_hints.py" line="27" />
      <source>Pan: drag the map; wheel zooms; middle button drags in any tool</source>
      <translation>平移：拖动地图；滚轮缩放；任何工具下都可用中键拖动</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="28" />
      <source>Zoom box: drag a box to zoom to it; click zooms in ×2, right click zooms out</source>
      <translation>框选缩放：拖出一个框放大到该范围；单击放大一倍，右键缩小</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="29" />
      <source>Select: click a parcel; Shift+click adds, Ctrl+click toggles; drag a box to select several</source>
      <translation>选择：单击宗地；Shift+单击加选，Ctrl+单击切换；拖框选择多宗</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="30" />
      <source>Draw parcel: click each corner; Enter, a double-click or a click on the first corner finishes; Backspace removes the last corner; Esc cancels</source>
      <translation>绘制宗地：依次点击各界址点；回车、双击或点击第一个点结束；退格删除上一个点；Esc 取消</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="32" />
      <source>Add hole: select the parcel first, then click the hole's corners inside it; Enter finishes; Esc cancels</source>
      <translation>添加内洞：先选中宗地，再在其内部依次点击内洞各点；回车结束；Esc 取消</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="34" />
      <source>Edit vertices (selected parcel): drag a corner to move it; press on an edge to add a corner; right-click a corner, or point at it and press Delete, to remove it; Esc abandons a drag</source>
      <translation>编辑界址点（所选宗地）：拖动点移动；在边上按下添加点；右键点击点，或指向点按 Delete 删除；Esc 放弃拖动</translation>
    </message>
    <message>
      <location filename="../../desktop/tool_hints.py" line="36" />
      <source>Measure: click points; the length, and from three points the area, show here; Enter or a double-click ends; Backspace removes the last point; Esc clears</source>
      <translation>量算：依次点击各点，长度（三点起还有面积）显示在这里；回车或双击结束；退格删除上一个点；Esc 清除</translation>
    </message>
  </context>
  <context>
    <name>WorkbookExport</name>
    <message>
      <location filename="../../desktop/workbook_export.py" line="66" />
      <source>Export the tax-source workbook (税源明细)…</source>
      <translation>导出税源明细表…</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="67" />
      <source>Export the return workbook (申报明细)…</source>
      <translation>导出申报明细表…</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="78" />
      <source>Assess the parcels first (F5)</source>
      <translation>请先计算地块（F5）</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="83" />
      <source>Excel workbook (*.xlsx)</source>
      <translation>Excel 工作簿 (*.xlsx)</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="92" />
      <source>Wrote %1 (%2 parcels)</source>
      <translation>已写出 %1（%2 宗地）</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="96" />
      <source>Cannot write %1</source>
      <translation>无法写出 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="98" />
      <source>Writing the workbook</source>
      <translation>正在写出工作簿</translation>
    </message>
    <message>
      <location filename="../../desktop/workbook_export.py" line="101" />
      <source>Another task is running; try again when it ends</source>
      <translation>另一项任务正在进行，结束后再试</translation>
    </message>
  </context>
  <context>
    <name>ZoneSetActions</name>
    <message>
      <location filename="../../desktop/zoneset_actions.py" line="49" />
      <source>Cannot switch the zone set</source>
      <translation>无法切换土地等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/zoneset_actions.py" line="57" />
      <source>Load official grade map</source>
      <translation>载入官方等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/zoneset_actions.py" line="77" />
      <source>Cannot load the grade map</source>
      <translation>无法载入等级图</translation>
    </message>
  </context>
  <context>
    <name>ZoneSetDialog</name>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="92" />
      <source>Load official grade map</source>
      <translation>载入官方等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="93" />
      <source>Layer:</source>
      <translation>图层：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="93" />
      <source>Grade field:</source>
      <translation>等级字段：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="94" />
      <source>Rates (grade=yuan/m²·year):</source>
      <translation>税额标准（等级=元/m²·年）：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="95" />
      <source>Legal basis (document):</source>
      <translation>依据文件：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="95" />
      <source>Applies from:</source>
      <translation>适用起始日期：</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="97" />
      <source>Used when the layer has no 'rate' field, e.g. 1=15,2=10,3=5</source>
      <translation>图层没有 rate 字段时使用，例如 1=15,2=10,3=5</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="98" />
      <source>This is the land department's official grade map</source>
      <translation>这是土地管理部门的官方等级图</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="99" />
      <source>e.g. 温政办〔2024〕10号</source>
      <translation>例如 温政办〔2024〕10号</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/zoneset_dialog.py" line="138" />
      <source>Give the document the official grade map applies under, or untick "official".</source>
      <translation>请填写该官方等级图所依据的文件，或取消勾选“官方等级图”。</translation>
    </message>
  </context>
  <context>
    <name>_AddLayer</name>
    <message>
      <location filename="../../desktop/reference_layers/controller.py" line="176" />
      <source>Add reference layer %1</source>
      <translation>添加参考图层 %1</translation>
    </message>
  </context>
  <context>
    <name>_RemoveLayer</name>
    <message>
      <location filename="../../desktop/reference_layers/controller.py" line="190" />
      <source>Remove reference layer %1</source>
      <translation>移除参考图层 %1</translation>
    </message>
  </context>
  <context>
    <name>app</name>
    <message>
      <location filename="../../desktop/app.py" line="64" />
      <source>Cannot load the bundled zone set</source>
      <translation>无法载入内置土地等级图</translation>
    </message>
  </context>
  <context>
    <name>coordinates_dialog</name>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="98" />
      <source>At least 3 boundary points are needed.</source>
      <translation>至少需要 3 个界址点。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="106" />
      <source>X and Y looked exchanged (X is the northing) and were swapped.</source>
      <translation>X、Y 看似颠倒（X 应为北坐标），已交换。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="109" />
      <source>The coordinates do not fit %1: X (northing) should be %2–%3 m and Y (easting) %4–%5 m. Check the coordinate system.</source>
      <translation>坐标不符合 %1：X（北坐标）应在 %2–%3 米，Y（东坐标）应在 %4–%5 米。请检查坐标系。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="119" />
      <source>Longitude and latitude were exchanged and were swapped.</source>
      <translation>经纬度颠倒，已交换。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="129" />
      <source>The coordinates cannot be converted in this system.</source>
      <translation>坐标无法在此坐标系中换算。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="134" />
      <source>The last point differs from the first: the outline was closed back to the first point.</source>
      <translation>末点与首点不同，已自动闭合到首点。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="136" />
      <source>Fewer than 3 distinct points.</source>
      <translation>不同的界址点少于 3 个。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="139" />
      <source>The outline crosses itself or is not valid (%1).</source>
      <translation>界线自相交或无效（%1）。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="142" />
      <source>The area is zero.</source>
      <translation>面积为零。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="144" />
      <source>The parcel lies outside the land-grade map; check the coordinate system.</source>
      <translation>地块不在土地等级图范围内，请检查坐标系。</translation>
    </message>
    <message>
      <location filename="../../desktop/dialogs/coordinates_dialog.py" line="145" />
      <source>Area %1 m², %2 boundary points.</source>
      <translation>面积 %1 m²，%2 个界址点。</translation>
    </message>
  </context>
  <context>
    <name>errors</name>
    <message>
      <location filename="../../desktop/errors.py" line="85" />
      <source>Cannot do that</source>
      <translation>无法完成操作</translation>
    </message>
    <message>
      <location filename="../../desktop/errors.py" line="91" />
      <source>The details were written to the log:</source>
      <translation>详细信息已写入日志：</translation>
    </message>
    <message>
      <location filename="../../desktop/errors.py" line="92" />
      <source>Unexpected error</source>
      <translation>意外错误</translation>
    </message>
    <message>
      <location filename="../../desktop/errors.py" line="93" />
      <source>Something went wrong. Your work is kept; save it and report the problem.</source>
      <translation>程序出现错误。您的工作已保留，请保存并报告此问题。</translation>
    </message>
  </context>
  <context>
    <name>print_caption</name>
    <message>
      <location filename="../../desktop/print_caption.py" line="29" />
      <source>parcel %1</source>
      <translation>宗地 %1</translation>
    </message>
    <message>
      <location filename="../../desktop/print_caption.py" line="30" />
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <location filename="../../desktop/print_caption.py" line="31" />
      <source>%1 parcels: %2</source>
      <translation>%1 宗：%2</translation>
    </message>
  </context>
  <context>
    <name>words</name>
    <message>
      <location filename="../../desktop/words.py" line="18" />
      <source>Grade %1</source>
      <translation>%1 级</translation>
    </message>
  </context>
  <context>
    <name>PrintCaption</name>
    <message>
      <source>parcel %1</source>
      <translation>宗地 %1</translation>
    </message>
    <message>
      <source>, </source>
      <translation>、</translation>
    </message>
    <message>
      <source>%1 parcels: %2</source>
      <translation>%1 宗：%2</translation>
    </message>
  </context>
  <context>
    <name>QFileDialog</name>
    <message>
      <source>&amp;Look in:</source>
      <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
      <source>Files of &amp;type:</source>
      <translation>文件类型(&amp;T)：</translation>
    </message>
  </context>
  <context>
    <name>ReconcileTableModel</name>
    <message>
      <source>Parcel no.</source>
      <translation>宗地号</translation>
    </message>
    <message>
      <source>Unit no.</source>
      <translation>不动产单元号</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>比对状态</translation>
    </message>
    <message>
      <source>Map area (m²)</source>
      <translation>图上面积（m²）</translation>
    </message>
    <message>
      <source>Registered area (m²)</source>
      <translation>登记面积（m²）</translation>
    </message>
    <message>
      <source>Map tax / year</source>
      <translation>图上年税额</translation>
    </message>
    <message>
      <source>Registered tax / year</source>
      <translation>登记年税额</translation>
    </message>
    <message>
      <source>Difference / year</source>
      <translation>年差额</translation>
    </message>
    <message>
      <source>Back tax</source>
      <translation>补税额</translation>
    </message>
    <message>
      <source>District</source>
      <translation>区</translation>
    </message>
    <message>
      <source>Late fee</source>
      <translation>滞纳金</translation>
    </message>
  </context>
</TS>
