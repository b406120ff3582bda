document.getElementById('app')?.append('Pigeon');
