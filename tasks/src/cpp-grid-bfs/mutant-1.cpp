#include <cstdio>
#include <string>
#include <vector>

int main()
{
	int h, w;
	if (std::scanf("%d %d", &h, &w) != 2)
		return 1;
	std::vector<std::string> g(h);
	int start = -1, goal = -1;
	for (int r = 0; r < h; r++) {
		static char buf[1 << 12];
		if (std::scanf("%4095s", buf) != 1)
			return 1;
		g[r] = buf;
		for (int c = 0; c < w; c++) {
			if (g[r][c] == 'S')
				start = r * w + c;
			else if (g[r][c] == 'E')
				goal = r * w + c;
		}
	}
	std::vector<int> dist((size_t)h * w, -1), queue;
	dist[start] = 0;
	queue.push_back(start);
	for (size_t qi = 0; qi < queue.size(); qi++) {
		int cur = queue[qi], r = cur / w, c = cur % w;
		const int dr[] = {-1, 1, 0, 0}, dc[] = {0, 0, -1, 1};
		for (int k = 0; k < 4; k++) {
			int nr = r + dr[k], nc = c + dc[k];
			if (nr < 0 || nr >= h || nc < 0 || nc >= w || g[nr][nc] == '#')
				continue;
			int nxt = nr * w + nc;
			if (dist[nxt] < 0) {
				dist[nxt] = dist[cur] + 1;
				queue.push_back(nxt);
			}
		}
	}
	std::printf("%d\n", dist[goal]);
	return 0;
}
