// Charts without inline script (CSP): each <div class="chart" data-chart-source="ID"> reads the
// ECharts option from <script type="application/json" id="ID"> (Django's json_script filter).
// Load with: <script src="{% static 'vendor/echarts.min.js' %}" defer></script>
//            <script src="{% static 'js/charts.js' %}" defer></script>
document.addEventListener("DOMContentLoaded", function () {
  if (typeof echarts === "undefined") { return; }
  document.querySelectorAll("[data-chart-source]").forEach(function (element) {
    var source = document.getElementById(element.getAttribute("data-chart-source"));
    if (!source) { return; }
    var option = JSON.parse(source.textContent);
    option.animation = false;
    option.aria = { enabled: true };
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
